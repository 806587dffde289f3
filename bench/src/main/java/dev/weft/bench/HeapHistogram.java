package dev.weft.bench;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.management.JMException;
import javax.management.ObjectName;

/**
 * The live objects of the heap, class by class: HotSpot's class histogram ({@code jcmd
 * <pid> GC.class_histogram}), taken in-process through the {@code DiagnosticCommand} MBean.
 * Taking one first makes a full collection, so it counts exactly what is reachable: every
 * object's size, including headers and padding, and no free space, dead filler or region
 * rounding (which the heap's "used" figure after {@link System#gc()} includes).
 *
 * <p>{@link ParkedMemoryBenchmark} takes one before and one while many tasks are parked, and
 * divides the difference by their number. Public because the woven subjects, defined by
 * another class loader, take them.
 */
public final class HeapHistogram {
    private final Map<String, long[]> byClass;
    private final long totalBytes;

    private HeapHistogram(Map<String, long[]> byClass, long totalBytes) {
        this.byClass = byClass;
        this.totalBytes = totalBytes;
    }

    /**
     * Collects the heap fully and counts what is live.
     *
     * @return the histogram
     * @throws IllegalStateException if this JVM has no {@code gcClassHistogram} command
     *     (it is HotSpot's, in module {@code jdk.management})
     */
    public static HeapHistogram take() {
        String text;
        try {
            text = (String) ManagementFactory.getPlatformMBeanServer().invoke(
                    new ObjectName("com.sun.management:type=DiagnosticCommand"), "gcClassHistogram",
                    new Object[] {new String[0]}, new String[] {String[].class.getName()});
        } catch (JMException e) {
            throw new IllegalStateException("cannot take a class histogram (the DiagnosticCommand MBean's "
                    + "gcClassHistogram): " + e, e);
        }
        Map<String, long[]> byClass = new HashMap<>();
        long total = -1;
        for (String line : text.split("\n")) {
            String[] f = line.trim().split("\\s+");
            if (f.length >= 4 && f[0].endsWith(":")) {
                byClass.put(f[3], new long[] {Long.parseLong(f[1]), Long.parseLong(f[2])});
            } else if (f.length == 3 && f[0].equals("Total")) {
                total = Long.parseLong(f[2]);
            }
        }
        if (total < 0) {
            throw new IllegalStateException("no Total line in the class histogram: " + text.lines().limit(5).toList());
        }
        return new HeapHistogram(byClass, total);
    }

    /** Returns the bytes of all live objects. @return bytes */
    public long totalBytes() {
        return totalBytes;
    }

    /**
     * Returns the classes whose live bytes grew by at least one byte per task between
     * {@code before} and this histogram, biggest first, one line each: instances and bytes
     * per task, and the class.
     *
     * @param before the earlier histogram
     * @param tasks what to divide by
     * @return the table, with a total line
     */
    public String perTaskTable(HeapHistogram before, int tasks) {
        List<Map.Entry<String, long[]>> grown = new ArrayList<>();
        for (Map.Entry<String, long[]> e : byClass.entrySet()) {
            long[] b = before.byClass.getOrDefault(e.getKey(), new long[2]);
            long[] delta = {e.getValue()[0] - b[0], e.getValue()[1] - b[1]};
            if (delta[1] >= tasks) {
                grown.add(Map.entry(e.getKey(), delta));
            }
        }
        grown.sort(Comparator.comparingLong((Map.Entry<String, long[]> e) -> e.getValue()[1]).reversed());
        StringBuilder out = new StringBuilder(String.format("%8s %8s  %s%n", "obj/task", "B/task", "class"));
        for (Map.Entry<String, long[]> e : grown) {
            out.append(String.format("%8.2f %8.1f  %s%n", (double) e.getValue()[0] / tasks,
                    (double) e.getValue()[1] / tasks, e.getKey()));
        }
        out.append(String.format("%8s %8.1f  (all classes)%n", "", (double) (totalBytes - before.totalBytes) / tasks));
        return out.toString();
    }
}
