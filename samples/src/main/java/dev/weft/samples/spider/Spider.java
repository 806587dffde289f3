package dev.weft.samples.spider;

import com.sun.net.httpserver.HttpServer;
import dev.weft.Nursery;
import dev.weft.Runner;
import dev.weft.Weft;
import dev.weft.annotation.Async;
import dev.weft.sync.CapacityLimiter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A web spider: fetches pages in parallel, follows their links, and visits each page once,
 * with at most {@code parallel} requests in flight and a progress line. It crawls a small site
 * that it serves itself on 127.0.0.1 (a {@code com.sun.net.httpserver.HttpServer} on a free
 * port), so it needs no network.
 *
 * <p>What it shows: the JDK's own async API ({@code HttpClient.sendAsync}) plugged in with
 * {@code Weft.await}; a {@code CapacityLimiter} bounding the requests; a nursery whose tasks
 * start more tasks as they discover links, all on one thread, so the set of visited pages needs
 * no lock.
 */
public final class Spider {
    private static final Pattern LINK = Pattern.compile("href=\"(/page/\\d+)\"");

    private final PrintStream out;
    private final int pages;
    private final int parallel;
    private final Duration latency;

    // Run's thread only.
    private final Set<String> seen = new TreeSet<>();
    private int fetched;
    private int inFlight;
    private int mostInFlight;

    /**
     * @param out where to print
     * @param pages how many pages the local site has
     * @param parallel the most requests in flight at once
     * @param latency how long the server takes per page (so the parallelism shows)
     */
    public Spider(PrintStream out, int pages, int parallel, Duration latency) {
        this.out = out;
        this.pages = pages;
        this.parallel = parallel;
        this.latency = latency;
    }

    /** What a crawl found. @param pages pages fetched @param mostInFlight the most requests at once @param seconds how long it took */
    public record Result(int pages, int mostInFlight, double seconds) {
    }

    /**
     * Serves the site, crawls it from {@code /page/0}, and stops the server.
     *
     * @param runner the runner
     * @return what the crawl found
     * @throws Exception if the run fails
     */
    public Result run(Runner runner) throws Exception {
        ExecutorService serverThreads = Executors.newFixedThreadPool(Math.max(2, parallel));
        ExecutorService clientThreads = Executors.newFixedThreadPool(2);
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/page/", exchange -> {
            try {
                if (!latency.isZero()) {
                    Thread.sleep(latency.toMillis());
                }
                byte[] body = page(exchange.getRequestURI().getPath()).getBytes(StandardCharsets.UTF_8);
                exchange.getResponseHeaders().add("Content-Type", "text/html; charset=utf-8");
                exchange.sendResponseHeaders(body.length == 0 ? 404 : 200, body.length == 0 ? -1 : body.length);
                try (OutputStream os = exchange.getResponseBody()) {
                    os.write(body);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                exchange.close();
            }
        });
        server.setExecutor(serverThreads);
        server.start();
        try {
            HttpClient client = HttpClient.newBuilder().executor(clientThreads)
                    .connectTimeout(Duration.ofSeconds(5)).build();
            String base = "http://127.0.0.1:" + server.getAddress().getPort();
            out.println("spider: crawling " + base + "/page/0 (" + pages + " pages, at most " + parallel
                    + " requests at once)");
            return runner.run(() -> crawl(client, base));
        } finally {
            server.stop(0);
            serverThreads.shutdownNow();
            clientThreads.shutdownNow();
        }
    }

    /** The local site: page {@code i} links to three others, so the crawl fans out and meets itself. */
    private String page(String path) {
        int i;
        try {
            i = Integer.parseInt(path.substring("/page/".length()));
        } catch (NumberFormatException e) {
            return "";
        }
        if (i < 0 || i >= pages) {
            return "";
        }
        StringBuilder b = new StringBuilder("<html><body><h1>Page ").append(i).append("</h1>");
        for (int next : new int[] {(2 * i + 1) % pages, (3 * i + 2) % pages, (i + 1) % pages}) {
            b.append("<a href=\"/page/").append(next).append("\">page ").append(next).append("</a> ");
        }
        return b.append("</body></html>").toString();
    }

    @Async
    private Result crawl(HttpClient client, String base) {
        CapacityLimiter limiter = new CapacityLimiter(parallel);
        double start = Weft.currentTime();
        Nursery.open(n -> visit(n, client, limiter, base, "/page/0"));
        out.printf("%nspider: fetched %d pages in %.2f s, at most %d requests in flight%n", fetched,
                Weft.currentTime() - start, mostInFlight);
        return new Result(fetched, mostInFlight, Weft.currentTime() - start);
    }

    /** Starts a task for {@code path} unless it was seen already. */
    private void visit(Nursery n, HttpClient client, CapacityLimiter limiter, String base, String path) {
        if (seen.add(path)) {
            n.startSoon(path, () -> fetch(n, client, limiter, base, path));
        }
    }

    @Async
    private void fetch(Nursery n, HttpClient client, CapacityLimiter limiter, String base, String path)
            throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(10)).build();
        String body;
        limiter.acquire();
        try {
            inFlight++;
            mostInFlight = Math.max(mostInFlight, inFlight);
            HttpResponse<String> response = Weft.await(client.sendAsync(request, HttpResponse.BodyHandlers.ofString()));
            if (response.statusCode() != 200) {
                throw new IOException("GET " + path + ": HTTP " + response.statusCode());
            }
            body = response.body();
        } finally {
            inFlight--;
            limiter.release();
        }
        fetched++;
        out.printf("\rspider: fetched %d/%d, %d in flight, %d waiting", fetched, seen.size(), inFlight,
                limiter.statistics().tasksWaiting());
        Matcher m = LINK.matcher(body);
        while (m.find()) {
            visit(n, client, limiter, base, m.group(1));
        }
    }
}
