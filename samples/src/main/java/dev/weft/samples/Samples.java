package dev.weft.samples;

import dev.weft.Weft;
import dev.weft.samples.chat.Chat;
import dev.weft.samples.crawler.Crawler;
import dev.weft.samples.echo.Echo;
import dev.weft.samples.tlsecho.TlsEcho;
import dev.weft.samples.hello.Hello;
import dev.weft.samples.http.Http;
import dev.weft.samples.interleave.Interleave;
import dev.weft.samples.pipeline.Pipeline;
import dev.weft.samples.recursion.Recursion;
import dev.weft.samples.spider.Spider;
import dev.weft.samples.supervisor.Supervisor;
import dev.weft.samples.timeouts.Timeouts;
import dev.weft.RunInterruptedException;
import java.io.PrintStream;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** The samples launcher: {@code weft-samples <name>}, or {@code tour} for all of them in order. */
@Command(name = "weft-samples", mixinStandardHelpOptions = true, version = "weft-samples 0.1.0",
        description = "Small programs that show what Weft does.",
        subcommands = {Samples.Tour.class, Samples.HelloCommand.class, Samples.TimeoutsCommand.class,
            Samples.InterleaveCommand.class, Samples.RecursionCommand.class, Samples.PipelineCommand.class,
            Samples.CrawlerCommand.class, Samples.SupervisorCommand.class, Samples.SpiderCommand.class,
            Samples.EchoCommand.class, Samples.ChatCommand.class, Samples.HttpCommand.class,
            Samples.TlsEchoCommand.class})
public final class Samples implements Callable<Integer> {
    static final PrintStream OUT = System.out;

    @Override
    public Integer call() {
        CommandLine.usage(this, OUT);
        return 2;
    }

    /** @param args {@code tour}, or a sample's name */
    public static void main(String[] args) {
        System.exit(new CommandLine(new Samples()).execute(args));
    }

    /** Runs every sample with a short explanation of what each shows. */
    @Command(name = "tour", description = "Run every sample in order, saying what each shows.")
    static final class Tour implements Callable<Integer> {
        @Override
        public Integer call() throws Exception {
            OUT.println("Weft tour: @Async methods become resumable state machines, so many tasks share one thread.");
            OUT.println();
            OUT.println("1. hello: a nursery with two children that sleep 1 s each; the block waits for both,");
            OUT.println("   and the run takes 1 s because they sleep at the same time.");
            new Hello(OUT).run(Weft.runner());
            OUT.println();
            OUT.println("2. timeouts: deadlines are cancel scopes; they nest, and a shield protects cleanup.");
            new Timeouts(OUT).run(Weft.runner());
            OUT.println();
            OUT.println("3. interleave: the layer beneath the scheduler; three continuations on a hand-written loop switch");
            OUT.println("   only where an @Async method is called.");
            new Interleave(OUT).run();
            OUT.println();
            OUT.println("4. recursion: a task suspends 5,000 calls deep and resumes with every local intact.");
            new Recursion(OUT).run();
            OUT.println();
            OUT.println("5. pipeline: a producer, three workers and a collector joined by memory channels; copies of");
            OUT.println("   the ends fan out and fan in, and closing them ends each stage in turn.");
            new Pipeline(OUT).run(Weft.runner());
            OUT.println();
            OUT.println("6. crawler: a task per page, at most 3 (later 5) fetches at once through a CapacityLimiter,");
            OUT.println("   a deadline per fetch, and a reporter fed by a channel.");
            new Crawler(OUT).run(Weft.runner());
            OUT.println();
            OUT.println("7. supervisor: three child processes; the ones that exit are restarted after a back-off, and");
            OUT.println("   after 2 s every child is stopped (SIGTERM) and waited for: none outlives the run.");
            new Supervisor(OUT, Supervisor.DEFAULT_CHILDREN, Duration.ofMillis(200), Integer.MAX_VALUE)
                    .run(Weft.runner(), Duration.ofSeconds(2));
            OUT.println();
            OUT.println("8. spider: real HTTP through HttpClient.sendAsync and Weft.await, at most 4 requests at once");
            OUT.println("   (a CapacityLimiter), crawling a 30-page site it serves itself on 127.0.0.1.");
            new Spider(OUT, 30, 4, Duration.ofMillis(20)).run(Weft.runner());
            OUT.println();
            OUT.println("9. echo: a TCP echo server and three clients in one run, on 127.0.0.1: real sockets waited");
            OUT.println("   for in the run's selector, a task per connection, and cancelling the server closes it.");
            new Echo(OUT, 3).run(Weft.runner());
            OUT.println();
            OUT.println("10. chat: three clients in a chat room; each connection has a bounded memory channel and a");
            OUT.println("    writer task, and a broadcast never waits: a client that falls behind is dropped.");
            new Chat(OUT).run(Weft.runner());
            OUT.println();
            OUT.println("11. http: an HTTP/1.1 server with keep-alive; a client sends three requests over one");
            OUT.println("    connection, the last with Connection: close.");
            new Http(OUT).run(Weft.runner());
            OUT.println();
            OUT.println("12. tlsecho: TLS over the same sockets, with a certificate made at start by a test CA; clients");
            OUT.println("    check the server's name, and one that does not trust the CA is refused.");
            new TlsEcho(OUT, 3).run(Weft.runner());
            return 0;
        }
    }

    @Command(name = "hello", description = "Two children in a nursery, sleeping one second each.")
    static final class HelloCommand implements Callable<Integer> {
        @Override
        public Integer call() throws Exception {
            new Hello(OUT).run(Weft.runner());
            return 0;
        }
    }

    @Command(name = "timeouts", description = "moveOnAfter, failAfter, nested deadlines and shields.")
    static final class TimeoutsCommand implements Callable<Integer> {
        @Override
        public Integer call() throws Exception {
            new Timeouts(OUT).run(Weft.runner());
            return 0;
        }
    }

    @Command(name = "interleave", description = "Three tasks sharing one thread.")
    static final class InterleaveCommand implements Callable<Integer> {
        @Override
        public Integer call() {
            new Interleave(OUT).run();
            return 0;
        }
    }

    @Command(name = "pipeline", description = "Producer, workers and collector over memory channels (fan-out, fan-in).")
    static final class PipelineCommand implements Callable<Integer> {
        @Override
        public Integer call() throws Exception {
            new Pipeline(OUT).run(Weft.runner());
            return 0;
        }
    }

    @Command(name = "crawler", description = "A rate-limited crawler of a fake site: CapacityLimiter, timeouts, a channel.")
    static final class CrawlerCommand implements Callable<Integer> {
        @Override
        public Integer call() throws Exception {
            new Crawler(OUT).run(Weft.runner());
            return 0;
        }
    }

    @Command(name = "recursion", description = "Suspend and resume 5,000 frames deep.")
    static final class RecursionCommand implements Callable<Integer> {
        @Override
        public Integer call() {
            new Recursion(OUT).run();
            return 0;
        }
    }

    @Command(name = "supervisor", description = "Start child processes, restart the ones that exit, stop them all on "
            + "Ctrl+C; SIGHUP restarts them.")
    static final class SupervisorCommand implements Callable<Integer> {
        @Option(names = "--for", paramLabel = "SECONDS", description = "Stop after this long (default: until Ctrl+C).")
        Double seconds;

        @Option(names = "--child", paramLabel = "NAME=SCRIPT",
                description = "A /bin/sh script to supervise (repeatable; default: three demo children).")
        java.util.Map<String, String> children;

        @Override
        public Integer call() throws Exception {
            java.util.List<Supervisor.Child> list = children == null ? Supervisor.DEFAULT_CHILDREN
                    : children.entrySet().stream().map(e -> new Supervisor.Child(e.getKey(), e.getValue())).toList();
            try {
                new Supervisor(OUT, list, Duration.ofMillis(500), Integer.MAX_VALUE)
                        .run(Weft.runner(), seconds == null ? null : Duration.ofMillis((long) (seconds * 1000)));
            } catch (RunInterruptedException e) {
                OUT.println("[supervisor] interrupted; every child was stopped");
            }
            return 0;
        }
    }

    @Command(name = "spider", description = "Crawl a site served on 127.0.0.1 with HttpClient.sendAsync and Weft.await.")
    static final class SpiderCommand implements Callable<Integer> {
        @Option(names = "--pages", defaultValue = "30", description = "Pages on the local site (default: ${DEFAULT-VALUE}).")
        int pages;

        @Option(names = "--parallel", defaultValue = "4", description = "Most requests at once (default: ${DEFAULT-VALUE}).")
        int parallel;

        @Option(names = "--latency-ms", defaultValue = "20",
                description = "Server time per page, in ms (default: ${DEFAULT-VALUE}).")
        int latencyMs;

        @Override
        public Integer call() throws Exception {
            new Spider(OUT, pages, parallel, Duration.ofMillis(latencyMs)).run(Weft.runner());
            return 0;
        }
    }

    @Command(name = "echo", description = "A TCP echo server and its clients in one run, on 127.0.0.1.")
    static final class EchoCommand implements Callable<Integer> {
        @Option(names = "--clients", defaultValue = "3", description = "Clients at once (default: ${DEFAULT-VALUE}).")
        int clients;

        @Override
        public Integer call() throws Exception {
            new Echo(OUT, clients).run(Weft.runner());
            return 0;
        }
    }

    @Command(name = "tlsecho", description = "A TLS echo server and its clients in one run, on 127.0.0.1, with a "
            + "certificate made at start.")
    static final class TlsEchoCommand implements Callable<Integer> {
        @Option(names = "--clients", defaultValue = "3", description = "Clients at once (default: ${DEFAULT-VALUE}).")
        int clients;

        @Override
        public Integer call() throws Exception {
            new TlsEcho(OUT, clients).run(Weft.runner());
            return 0;
        }
    }

    @Command(name = "chat", description = "A chat room over TCP: a demo with three clients, or --port to serve "
            + "until Ctrl+C (try nc).")
    static final class ChatCommand implements Callable<Integer> {
        @Option(names = "--port", paramLabel = "PORT",
                description = "Serve on this port until Ctrl+C instead of running the demo (0: any free port).")
        Integer port;

        @Option(names = "--host", defaultValue = "127.0.0.1",
                description = "Address to serve on (default: ${DEFAULT-VALUE}).")
        String host;

        @Override
        public Integer call() throws Exception {
            if (port == null) {
                new Chat(OUT).run(Weft.runner());
                return 0;
            }
            try {
                new Chat(OUT).serve(Weft.runner(), host, port);
            } catch (RunInterruptedException e) {
                OUT.println("chat: interrupted; every connection was closed");
            }
            return 0;
        }
    }

    @Command(name = "http", description = "An HTTP/1.1 keep-alive server: a demo with one client, or --port to serve "
            + "until Ctrl+C (try curl, wrk, ab -k).")
    static final class HttpCommand implements Callable<Integer> {
        @Option(names = "--port", paramLabel = "PORT",
                description = "Serve on this port until Ctrl+C instead of running the demo (0: any free port).")
        Integer port;

        @Option(names = "--host", defaultValue = "127.0.0.1",
                description = "Address to serve on (default: ${DEFAULT-VALUE}).")
        String host;

        @Override
        public Integer call() throws Exception {
            if (port == null) {
                new Http(OUT).run(Weft.runner());
                return 0;
            }
            try {
                new Http(OUT).serve(Weft.runner(), host, port);
            } catch (RunInterruptedException e) {
                OUT.println("http: interrupted; every connection was closed");
            }
            return 0;
        }
    }
}
