package dev.weft.internal;

import dev.weft.Nursery;
import dev.weft.lowlevel.Task;
import java.util.List;

/**
 * Renders a run's task tree as indented text: each task with its state and the source line
 * where it is suspended, each nursery with the task that opened it.
 * <pre>
 * Weft run on thread 'main' (seed 42, time 1.5s)
 * task 'main' #1 PARKED at Crawler.crawl(Crawler.java:31)
 *   nursery
 *     task 'fetch-1' #2 PARKED at Fetcher.get(Fetcher.java:12)
 * </pre>
 */
final class TaskTree {
    private TaskTree() {
    }

    static String render(RunLoop loop, TaskCore main, List<TaskCore> systemTasks) {
        StringBuilder b = new StringBuilder();
        b.append("Weft run on thread '").append(loop.thread().getName()).append("' (seed ").append(loop.seed())
                .append(", time ").append(ScopeCore.formatTime(loop.now())).append(")\n");
        if (main != null && main.state != TaskCore.State.DONE) {
            task(b, main, 0);
        }
        for (TaskCore t : systemTasks) {
            task(b, t, 0);
        }
        return b.toString();
    }

    private static void task(StringBuilder b, TaskCore t, int depth) {
        indent(b, depth).append(t.isSystemTask() ? "system task '" : "task '").append(t.name()).append("' #")
                .append(t.id()).append(' ').append(t.state);
        String site = t.currentSite();
        if (site != null) {
            b.append(" at ").append(site);
        }
        b.append('\n');
        for (Nursery n : t.childNurseries()) {
            indent(b, depth + 1).append("nursery\n");
            for (Task child : n.childTasks()) {
                task(b, (TaskCore) child, depth + 2);
            }
        }
    }

    private static StringBuilder indent(StringBuilder b, int depth) {
        return b.append("  ".repeat(depth));
    }
}
