package dev.weft.weaver.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.FileSystemException;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.HelpCommand;

/**
 * The {@code weft} command line: weaves, checks and explains {@code @Async} methods in
 * compiled classes, outside any build tool.
 *
 * <p>Each subcommand builds one {@link dev.weft.weaver.Weaver} whose class hierarchy is read
 * from class files only (its inputs, then {@code --classpath}); no user class is ever loaded
 * or run. Every problem of every class is reported, in the form
 * {@code Fetcher.java:42: message. Fix: ...}, not only the first.
 *
 * {@snippet :
 * // from a shell:  java -jar weft-weaver-<version>-cli.jar weave build/classes -cp lib/a.jar:lib/b.jar
 * int exit = WeftCli.execute(new PrintWriter(System.out, true), new PrintWriter(System.err, true),
 *         "check", "build/classes", "-cp", "lib/a.jar");
 * }
 *
 * <h2>Commands</h2>
 * <ul>
 *   <li>{@code weft weave INPUT... [-cp PATHS] [--out DIR] [--all] [--verbose]}: weaves every
 *       class file of each input, a class-path root given as a directory or a jar. Directories
 *       are woven in place unless {@code --out} is given, in which case the whole tree is
 *       written under it. Jars are never rewritten in place: they need {@code --out}, under
 *       which a jar of the same name is written. See {@link WeaveCommand}.
 *   <li>{@code weft check INPUT... [-cp PATHS] [--all] [--verbose]}: the same analysis,
 *       writing nothing. See {@link CheckCommand}.
 *   <li>{@code weft explain CLASS[#METHOD] [-cp PATHS]}: weaves one class in memory and prints,
 *       for each woven method, its suspension points and what each saves. See
 *       {@link ExplainCommand}.
 * </ul>
 *
 * <h2>Exit codes</h2>
 * <ul>
 *   <li>{@value #EXIT_OK}: done, no problem found;
 *   <li>{@value #EXIT_PROBLEMS}: weave problems were found (or a class or method to explain
 *       could not be found, or a file could not be read or written);
 *   <li>{@value #EXIT_USAGE}: the command line was wrong (unknown subcommand or option, missing
 *       or invalid argument); picocli's message, with "Did you mean" suggestions, is printed.
 * </ul>
 */
@Command(name = "weft",
        mixinStandardHelpOptions = true,
        versionProvider = WeftVersion.class,
        description = "Weaves @Async methods into resumable state machines, checks them, and explains the result.",
        subcommands = {WeaveCommand.class, CheckCommand.class, ExplainCommand.class, HelpCommand.class})
public final class WeftCli {
    /** Exit code: done, no problem found. */
    public static final int EXIT_OK = 0;

    /** Exit code: weave problems found, or an input could not be found, read or written. */
    public static final int EXIT_PROBLEMS = 1;

    /** Exit code: the command line was wrong; picocli's default for parameter errors. */
    public static final int EXIT_USAGE = 2;

    /**
     * Runs the command line and exits the JVM with its exit code.
     *
     * @param args the arguments
     */
    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /**
     * Runs the command line, writing to the given streams instead of the standard ones.
     * Both writers are flushed before returning; neither is closed.
     *
     * @param out where results and help go
     * @param err where problems, warnings and usage errors go
     * @param args the arguments, as after {@code weft} on a shell
     * @return the exit code: {@value #EXIT_OK}, {@value #EXIT_PROBLEMS} or {@value #EXIT_USAGE}
     */
    public static int execute(PrintWriter out, PrintWriter err, String... args) {
        CommandLine cl = commandLine();
        cl.setOut(out);
        cl.setErr(err);
        try {
            return cl.execute(args);
        } finally {
            out.flush();
            err.flush();
        }
    }

    /**
     * Returns the configured command line: the exit codes above, and I/O failures reported as
     * one line rather than a stack trace. {@code new CommandLine(new WeftCli())} works too, with
     * picocli's defaults for unexpected exceptions.
     *
     * @return a new command line, writing to the standard streams
     */
    public static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new WeftCli());
        exitCodes(cl);
        cl.setExecutionExceptionHandler((ex, commandLine, parseResult) -> {
            PrintWriter err = commandLine.getErr();
            String command = commandLine.getCommandSpec().qualifiedName();
            if (ex instanceof IOException || ex instanceof UncheckedIOException) {
                err.println(commandLine.getColorScheme().errorText(command + ": " + describe(ex)));
            } else {
                err.println(commandLine.getColorScheme().errorText(command + ": internal error: " + ex
                        + ". This is a bug in Weft: please report it with this output."));
                ex.printStackTrace(err);
            }
            return EXIT_PROBLEMS;
        });
        return cl;
    }

    /**
     * Sets the exit codes of this command and its subcommands, since picocli reads them from
     * the command that failed, and lists them in each one's help.
     */
    private static void exitCodes(CommandLine cl) {
        cl.getCommandSpec().exitCodeOnInvalidInput(EXIT_USAGE);
        cl.getCommandSpec().exitCodeOnExecutionException(EXIT_PROBLEMS);
        if (!(cl.getCommand() instanceof HelpCommand)) {
            Map<String, String> codes = new LinkedHashMap<>();
            codes.put(String.valueOf(EXIT_OK), "done, no problem found");
            codes.put(String.valueOf(EXIT_PROBLEMS), "weave problems found, or a class, method or file could not be "
                    + "found, read or written");
            codes.put(String.valueOf(EXIT_USAGE), "usage error");
            cl.getCommandSpec().usageMessage().exitCodeListHeading("%nExit codes:%n").exitCodeList(codes);
        }
        for (CommandLine sub : cl.getSubcommands().values()) {
            exitCodes(sub);
        }
    }

    /**
     * Describes an I/O failure in one line: its message, then each cause's.
     *
     * @param ex an {@link IOException} or {@link UncheckedIOException}
     * @return e.g. {@code cannot write out/a/B.class: out/a/B.class (Permission denied)}
     */
    static String describe(Exception ex) {
        Throwable t = ex;
        if (ex instanceof UncheckedIOException u && String.valueOf(u.getCause()).equals(u.getMessage())) {
            t = u.getCause(); // wraps without a message of its own
        }
        StringBuilder b = new StringBuilder(line(t));
        for (Throwable c = t.getCause(); c != null && c != t; t = c, c = c.getCause()) {
            b.append(": ").append(line(c));
        }
        return b.toString();
    }

    private static String line(Throwable t) {
        if (t instanceof FileSystemException fs) {
            return fs.getFile() + " (" + (fs.getReason() != null ? fs.getReason() : fs.getClass().getSimpleName()) + ")";
        }
        return t.getMessage() != null ? t.getMessage() : t.getClass().getSimpleName();
    }
}
