package dev.weft.internal;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The threads that run blocking code for one run ({@code Weft.runInThread}, the pipes of
 * processes, file I/O): a small cache of daemon threads named {@code weft-worker-N}, made on
 * demand, reused while they are idle, and stopped when the run ends. One pool per run, made on
 * first use as a {@linkplain RunLoop#service run service}, so it is closed at the end of the
 * run.
 *
 * <p>The pool does not bound how many threads run at once: that is the job of the capacity
 * limiter the caller acquires first. It only saves the cost of starting a thread per job (about
 * 50 µs) and makes sure no idle thread outlives the run.
 *
 * <h2>A worker's life</h2>
 * <pre>
 *   new --job--> RUNNING --work returns--> IDLE (reports, then waits) --job--> RUNNING ...
 *                   |                          |--idle for 10 s, or the pool closes--> ended
 *                   \--pool closed meanwhile--> ended after the job reports
 * </pre>
 * A job is handed to an idle worker through its one-slot mailbox, after the worker has been
 * taken off the idle stack under the pool's lock, so a job is never handed to a worker that is
 * timing out: a worker that times out takes the lock and leaves only if it is still on the
 * stack; if it is not, a job is on its way and it takes it.
 *
 * <h2>Closing</h2>
 * {@link #close()} runs on the run's thread as the run ends. It tells every idle worker to stop
 * and waits for it (they are only waiting on their mailbox, so this takes microseconds), and
 * does the same for workers whose job has returned. A worker still running a job (one the
 * waiting task abandoned on cancellation, or one of a run that failed inside the scheduler) is
 * not waited for: it ends as soon as its job returns.
 */
public final class WorkerPool implements AutoCloseable {
    /** How long an idle worker waits for a job before it ends. */
    static final long IDLE_NANOS = TimeUnit.SECONDS.toNanos(10);
    private static final AtomicInteger NEXT_ID = new AtomicInteger(1);
    private static final Job STOP = new Job() {
        @Override
        public void work() {
        }

        @Override
        public void report() {
        }
    };

    private final RunLoop loop;
    /** Guards {@link #idle}, {@link #all} and {@link #closed}. */
    private final Object lock = new Object();
    /** Idle workers, most recently idle last (the warmest is reused first). */
    private final ArrayList<Worker> idle = new ArrayList<>();
    /** Every live worker. */
    private final Set<Worker> all = new HashSet<>();
    /** Set once by {@link #close()}; no job is accepted after it. */
    private boolean closed;

    private WorkerPool(RunLoop loop) {
        this.loop = loop;
    }

    /**
     * Returns the pool of {@code loop}, making it on first use.
     *
     * @param loop the run
     * @return its pool
     */
    public static WorkerPool of(RunLoop loop) {
        return loop.service(WorkerPool.class, () -> new WorkerPool(loop));
    }

    /**
     * Returns the run whose pool the calling thread belongs to, or null if it is not a worker.
     *
     * @return the worker's run, or null
     */
    public static RunLoop loopOfCurrentWorker() {
        return Thread.currentThread() instanceof Worker w ? w.pool.loop : null;
    }

    /** A piece of blocking work and the hand-back of its outcome. */
    public interface Job {
        /** The blocking part, on the worker thread. Must not throw. */
        void work();

        /**
         * Hands the outcome back (usually through {@link RunLoop#post}), on the worker thread
         * after {@link #work()} returned; by then the pool no longer counts the worker as
         * running user code, so the end of the run does not wait on this. Must not throw.
         */
        void report();
    }

    /**
     * Runs {@code job} on a worker thread: an idle one if there is one, else a new one.
     * Returns at once.
     *
     * <p>Memory consistency effects: actions before the call happen-before the job's
     * {@code work} runs.
     *
     * @param job what to run
     * @return the worker that runs it, to interrupt it if need be
     * @throws IllegalStateException if the run has ended
     */
    public Thread execute(Job job) {
        Worker w;
        synchronized (lock) {
            if (closed) {
                throw new IllegalStateException("the run on thread '" + loop.thread().getName()
                        + "' has ended: its worker threads are stopped");
            }
            int n = idle.size();
            if (n > 0) {
                w = idle.remove(n - 1);
                w.inJob = true;
            } else {
                w = new Worker(this, "weft-worker-" + NEXT_ID.getAndIncrement());
                all.add(w);
                w.first = job;
                w.start();
                return w;
            }
        }
        w.mailbox.add(job);
        return w;
    }

    /** Returns the number of live workers, idle or busy. @return the count */
    public int threadCount() {
        synchronized (lock) {
            return all.size();
        }
    }

    /**
     * Stops the idle workers and waits for them, and for the workers whose job's work has
     * returned; see the class doc. Called on the run's thread at the end of the run.
     */
    @Override
    public void close() {
        List<Worker> toJoin = new ArrayList<>();
        synchronized (lock) {
            closed = true;
            for (Worker w : idle) {
                w.mailbox.add(STOP);
            }
            idle.clear();
            for (Worker w : all) {
                if (!w.inJob) {
                    toJoin.add(w);
                }
            }
        }
        boolean interrupted = false;
        for (Worker w : toJoin) {
            while (true) {
                try {
                    w.join();
                    break;
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Called by a worker whose job's work has returned, before it reports: back on the idle
     * stack at once, so that the task its report wakes finds it there if it calls again
     * straight away (a job handed over meanwhile waits in the mailbox until the report is
     * done). Returns false if the pool is closed and the worker should end after reporting.
     */
    private boolean workReturned(Worker w) {
        synchronized (lock) {
            w.inJob = false;
            if (closed) {
                all.remove(w);
                return false;
            }
            idle.add(w);
            return true;
        }
    }

    /** Called by a worker that timed out: leaves if it is still idle; false if a job is on its way. */
    private boolean leaveIfIdle(Worker w) {
        synchronized (lock) {
            if (idle.remove(w)) {
                all.remove(w);
                return true;
            }
            return false;
        }
    }

    private void ended(Worker w) {
        synchronized (lock) {
            all.remove(w);
        }
    }

    @Override
    public String toString() {
        synchronized (lock) {
            return "WorkerPool[" + all.size() + " threads, " + idle.size() + " idle" + (closed ? ", closed]" : "]");
        }
    }

    /** One worker thread. */
    private static final class Worker extends Thread {
        final WorkerPool pool;
        /** Jobs handed to this worker while idle; holds at most one. */
        final ArrayBlockingQueue<Job> mailbox = new ArrayBlockingQueue<>(1);
        /** The job it was started for; read once by the worker. */
        Job first;
        /**
         * True from the moment a job is handed to the worker until the job's work returns.
         * Guarded by the pool's lock. Invariant: a worker on the idle stack is not in a job.
         */
        boolean inJob = true;

        Worker(WorkerPool pool, String name) {
            super(name);
            this.pool = pool;
            setDaemon(true);
        }

        @Override
        public void run() {
            try {
                Job job = first;
                first = null;
                while (true) {
                    job.work();
                    Thread.interrupted();
                    boolean stay = pool.workReturned(this);
                    job.report();
                    if (!stay) {
                        return;
                    }
                    job = next();
                    if (job == null || job == STOP) {
                        return;
                    }
                }
            } finally {
                pool.ended(this);
            }
        }

        /** Waits for the next job; null if the worker should end. */
        private Job next() {
            long deadline = System.nanoTime() + IDLE_NANOS;
            while (true) {
                Job job;
                try {
                    long left = deadline - System.nanoTime();
                    job = left > 0 ? mailbox.poll(left, TimeUnit.NANOSECONDS) : null;
                } catch (InterruptedException e) {
                    // Nothing interrupts an idle worker on purpose; a stray interrupt means "keep waiting".
                    continue;
                }
                if (job != null) {
                    return job;
                }
                if (pool.leaveIfIdle(this)) {
                    return null;
                }
                // Taken off the idle stack just now: its job is on the way.
                deadline = Long.MAX_VALUE;
                try {
                    return mailbox.take();
                } catch (InterruptedException e) {
                    // As above: keep waiting.
                }
            }
        }
    }
}
