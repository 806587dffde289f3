package dev.weft.corpus;

import dev.weft.annotation.Async;
import dev.weft.weaver.testing.Probe;
import java.util.ArrayList;
import java.util.List;

/** Loops with reused slots, switches on strings and enums, string concatenation, recursion, construction. */
public class Control {
    enum Color { RED, GREEN, BLUE }

    static final class Pair {
        final Object a;
        final Object b;
        Pair(Object a, Object b) { this.a = a; this.b = b; }
        @Override public String toString() { return "(" + a + "," + b + ")"; }
    }

    @Async static int i(int x) { Probe.point(); return x; }
    @Async static String s(String x) { Probe.point(); return x; }

    @Async
    static long depth(int n) {
        if (n == 0) {
            return i(0);
        }
        return depth(n - 1) + i(1);
    }

    @Async
    public static String run() {
        StringBuilder log = new StringBuilder();
        // slots reused with other types in sibling blocks, and holding null
        for (int k = 0; k < 3; k++) {
            if (k % 2 == 0) {
                String t = s("even" + k);
                log.append(t);
            } else {
                long t = i(k) * 1000L;
                log.append(t);
            }
            Object maybe = k == 1 ? null : "x";
            i(k);
            log.append(maybe);
        }
        { double w = i(2) / 3.0; log.append(w); }
        { Object w = null; i(1); log.append(w); }
        // switch on strings and enums
        for (String key : new String[] {"alpha", "beta", "gamma", "zeta"}) {
            switch (s(key)) {
                case "alpha" -> log.append(i(1));
                case "beta" -> { log.append(s("b")); log.append(i(2)); }
                case "gamma" -> log.append(s("g"));
                default -> log.append('?');
            }
        }
        for (Color col : Color.values()) {
            switch (col) {
                case RED: log.append(s("r")); break;
                case GREEN: log.append(i(7)); // fall through
                default: log.append(s("d"));
            }
        }
        // string concatenation (invokedynamic) with calls between the parts
        log.append("<" + i(1) + "|" + s("mid") + "|" + 2.5 + i(3) + ">");
        // new Foo(suspending()), nested, with arguments before the call
        Pair p = new Pair(s("left"), new Pair(i(1), new Pair("k", s("deep"))));
        log.append(p);
        List<Object> list = new ArrayList<>(i(4));
        list.add(new Pair(new StringBuilder(s("sb")).append(i(9)), null));
        log.append(list);
        // recursion 1,000 deep
        log.append(' ').append(depth(1000));
        // while loop with labelled break across calls
        int acc = 0;
        outer:
        while (true) {
            for (int j = 0; j < 5; j++) {
                acc += i(j);
                if (acc > 6) {
                    break outer;
                }
            }
        }
        log.append(' ').append(acc);
        return log.toString();
    }
}
