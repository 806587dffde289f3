package dev.weft.samples.crawler;

import dev.weft.CancelScope;
import dev.weft.Nursery;
import dev.weft.Runner;
import dev.weft.TooSlowException;
import dev.weft.Weft;
import dev.weft.annotation.Async;
import dev.weft.channel.MemoryChannel;
import dev.weft.channel.MemoryReceiveChannel;
import dev.weft.channel.MemorySendChannel;
import dev.weft.sync.CapacityLimiter;
import java.io.PrintStream;
import java.time.Duration;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A rate-limited web crawler skeleton: one task per page, a {@link CapacityLimiter} that
 * caps how many fetches run at once, a deadline per fetch, and a reporter that gets results
 * over a channel.
 *
 * <p>The "web" is a map of fake pages, each with a fetch time (a {@code Weft.sleep}) and
 * links. Crawling a page borrows a token, fetches inside {@code CancelScope.failAfter}, puts
 * the token back, and starts a task for each link not seen before, in the same nursery: the
 * nursery ends when the whole site has been crawled, however wide it turned out. Halfway
 * through, the site "allows" more connections and the limiter's total is raised from 3 to 5;
 * the tasks already waiting get the new tokens at once.
 *
 * <p>Each crawl task reports through its own copy of the report channel's send end, made by
 * the task that discovered the page: the reporter sees the end of the channel exactly when
 * the last crawl task has finished, without counting tasks.
 *
 * <p>The run uses FIFO order so the output reads the same every time.
 */
public final class Crawler {
    /** A fake page: how long fetching it takes, and where it links. */
    record Page(double seconds, List<String> links) {
    }

    /** The fake site. {@code /slow} takes longer than the fetch deadline. */
    static final Map<String, Page> WEB = new LinkedHashMap<>();

    static {
        WEB.put("/", new Page(0.1, List.of("/docs", "/blog", "/about")));
        WEB.put("/docs", new Page(0.3, List.of("/docs/start", "/docs/api", "/docs/faq")));
        WEB.put("/blog", new Page(0.2, List.of("/blog/1", "/blog/2", "/slow")));
        WEB.put("/about", new Page(0.1, List.of("/")));
        WEB.put("/docs/start", new Page(0.2, List.of("/docs/api")));
        WEB.put("/docs/api", new Page(0.4, List.of("/docs/api/channels", "/docs/api/sync")));
        WEB.put("/docs/faq", new Page(0.1, List.of()));
        WEB.put("/blog/1", new Page(0.2, List.of("/blog/2")));
        WEB.put("/blog/2", new Page(0.2, List.of("/blog/1", "/about")));
        WEB.put("/slow", new Page(5.0, List.of()));
        WEB.put("/docs/api/channels", new Page(0.3, List.of()));
        WEB.put("/docs/api/sync", new Page(0.3, List.of()));
    }

    /** Fetches allowed at once at the start, and after the site allows more. */
    static final int FIRST_LIMIT = 3;
    static final int LATER_LIMIT = 5;
    /** When the site allows more, in seconds. */
    static final double RAISE_AT = 0.5;
    /** The deadline of one fetch. */
    static final Duration FETCH_TIMEOUT = Duration.ofSeconds(1);

    private final PrintStream out;
    private final CapacityLimiter fetches = new CapacityLimiter(FIRST_LIMIT);
    private final Set<String> seen = new HashSet<>();
    private int inFlight;
    private int peakBeforeRaise;
    private int peakAfterRaise;

    public Crawler(PrintStream out) {
        this.out = out;
    }

    /** What a crawl task tells the reporter. */
    private record Report(String url, String outcome, double at) {
    }

    @Async
    void main() {
        MemoryChannel<Report> reports = MemoryChannel.unbounded();
        Nursery.open(n -> {
            n.startSoon("reporter", () -> report(reports.receiver()));
            n.startSoon("site-allows-more", () -> {
                Weft.sleep(Duration.ofMillis((long) (RAISE_AT * 1000)));
                fetches.setTotalTokens(LATER_LIMIT);
                out.printf("%4.1fs the site allows %d connections now; %d waiting tasks got tokens at once%n",
                        Weft.currentTime(), LATER_LIMIT, fetches.borrowedTokens() - inFlight);
            });
            seen.add("/");
            MemorySendChannel<Report> tx = reports.sender();
            n.startSoon("/", () -> crawl(n, "/", tx));
        });
        out.printf("%4.1fs crawled %d pages; at most %d fetches at once before the raise, %d after%n",
                Weft.currentTime(), seen.size(), peakBeforeRaise, peakAfterRaise);
    }

    /** Fetches {@code url} under the limiter, reports, and starts a task for each new link. */
    @Async
    void crawl(Nursery n, String url, MemorySendChannel<Report> tx) {
        try (tx) {
            Page page;
            fetches.acquire();
            try {
                inFlight++;
                if (fetches.totalTokens() == FIRST_LIMIT) {
                    peakBeforeRaise = Math.max(peakBeforeRaise, inFlight);
                } else {
                    peakAfterRaise = Math.max(peakAfterRaise, inFlight);
                }
                page = CancelScope.failAfter(FETCH_TIMEOUT).call(() -> fetch(url));
            } catch (TooSlowException e) {
                tx.send(new Report(url, "timed out after " + FETCH_TIMEOUT.toMillis() + " ms", Weft.currentTime()));
                return;
            } finally {
                inFlight--;
                fetches.release();
            }
            tx.send(new Report(url, "fetched, " + page.links().size() + " links", Weft.currentTime()));
            for (String link : page.links()) {
                if (seen.add(link)) {
                    MemorySendChannel<Report> linkTx = tx.copy();
                    n.startSoon(link, () -> crawl(n, link, linkTx));
                }
            }
        }
    }

    /** A fake fetch: waits as long as the page takes. */
    @Async
    Page fetch(String url) {
        Page page = WEB.get(url);
        Weft.sleep(Duration.ofMillis((long) (page.seconds() * 1000)));
        return page;
    }

    @Async
    void report(MemoryReceiveChannel<Report> reports) {
        int count = 0;
        try (reports) {
            for (Report r; (r = reports.receiveOrNull()) != null; ) {
                out.printf("%4.1fs %-20s %s%n", r.at(), r.url(), r.outcome());
                count++;
            }
        }
        out.printf("%4.1fs reporter: %d reports; every crawl task has closed its end%n", Weft.currentTime(), count);
    }

    /**
     * Runs the sample.
     *
     * @param runner the runner to use (tests give one with a mock clock)
     * @throws Exception if the run fails
     */
    public void run(Runner runner) throws Exception {
        runner.fifoOrder().run(this::main);
    }
}
