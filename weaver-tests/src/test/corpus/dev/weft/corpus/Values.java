package dev.weft.corpus;

import dev.weft.annotation.Async;
import dev.weft.weaver.testing.Probe;

/** Every kind of local and stack value carried across suspension points. */
public class Values {
    @Async static int i(int x) { Probe.point(); return x; }
    @Async static long l(long x) { Probe.point(); return x; }
    @Async static double d(double x) { Probe.point(); return x; }
    @Async static float f(float x) { Probe.point(); return x; }
    @Async static String s(String x) { Probe.point(); return x; }
    @Async static boolean z(boolean x) { Probe.point(); return x; }
    @Async static void v() { Probe.point(); }

    @Async
    public static String run() {
        StringBuilder log = new StringBuilder();
        boolean flag = true; byte b = 7; char c = 'q'; short sh = -300; int n = 41;
        long big = 1L << 40; float fl = 1.5f; double dd = Math.PI; String str = "s"; int[] arr = {1, 2, 3};
        Object nothing = null;
        v();
        log.append(flag).append(b).append(c).append(sh).append(n).append(big).append(fl).append(dd).append(str)
                .append(arr[2]).append(nothing);
        // wide values on the operand stack below an async call
        long sum = big + l(5L) + i(2);
        double dsum = dd * d(2.0) - f(0.25f);
        log.append(' ').append(sum).append(' ').append(dsum);
        // mixed stack: int, long, double, reference below the call
        String mixed = str + n + big + dd + s("!") + z(false);
        log.append(' ').append(mixed);
        // arrays: array and index on the stack
        int[] a = new int[4];
        a[i(1)] = i(10);
        a[2] += i(5);
        long[][] grid = new long[2][2];
        grid[i(1)][i(0)] = l(99L);
        log.append(' ').append(a[1]).append(a[2]).append(grid[1][0]);
        // char and byte arithmetic after suspension
        c += (char) i(1);
        b *= (byte) i(2);
        log.append(' ').append(c).append(b);
        // conditional expressions around calls
        int t = flag ? i(3) : i(4);
        String u = nothing == null ? s("null-branch") : s("other");
        log.append(' ').append(t).append(u);
        // float and double precision survives raw-bits storage
        float nan = Float.NaN; double negz = -0.0;
        v();
        log.append(' ').append(Float.isNaN(nan)).append(1 / negz);
        return log.toString();
    }
}
