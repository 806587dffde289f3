package dev.weft.corpus;

import dev.weft.annotation.Async;
import dev.weft.weaver.testing.Probe;

/** Suspension inside try, catch and finally; try-with-resources; exceptions caught higher up. */
public class Exceptions {
    static final StringBuilder LOG = new StringBuilder();

    @Async static int fail(int x) { Probe.point(); if (x > 0) { throw new IllegalArgumentException("bad " + x); } return x; }
    @Async static void note(String s) { Probe.point(); LOG.append(s).append(';'); }

    static final class Res implements AutoCloseable {
        final String name;
        Res(String name) { this.name = name; LOG.append("open ").append(name).append(';'); }
        @Override public void close() { LOG.append("close ").append(name).append(';'); }
    }

    @Async
    static int nested(int depth) {
        try {
            note("enter" + depth);
            if (depth == 0) {
                return fail(1);
            }
            return nested(depth - 1) + 1;
        } finally {
            note("finally" + depth);
        }
    }

    @Async
    public static String run() {
        LOG.setLength(0);
        try {
            note("try");
            fail(1);
            note("unreached");
        } catch (IllegalArgumentException e) {
            note("catch " + e.getMessage());
            note("catch again");
        } finally {
            note("finally");
        }
        try (Res r = new Res("a"); Res q = new Res("b")) {
            note("body " + r.name + q.name);
            fail(2);
        } catch (IllegalArgumentException e) {
            note("twr caught " + e.getMessage());
        }
        // an exception caught higher up, then suspend again
        try {
            nested(3);
        } catch (IllegalArgumentException e) {
            note("outer caught " + e.getMessage());
        }
        note("after");
        for (int i = 0; i < 3; i++) {
            try {
                if (fail(i - 1) == -1) {
                    continue;
                }
                note("ok" + i);
            } catch (RuntimeException e) {
                note("loop caught" + i);
                break;
            } finally {
                note("loop finally" + i);
            }
        }
        // finally that overrides a return
        note("f=" + finallyReturns());
        return LOG.toString();
    }

    @SuppressWarnings("finally")
    @Async
    static int finallyReturns() {
        try {
            return fail(0) + 1;
        } finally {
            note("in finally");
        }
    }
}
