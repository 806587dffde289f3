package dev.weft.internal;

import dev.weft.AsyncCallable;
import dev.weft.AsyncRunnable;
import dev.weft.annotation.Async;
import dev.weft.lowlevel.UnwovenFrameError;
import java.util.Arrays;
import java.util.Objects;

/**
 * The resumable execution state of one task: the flags woven code reads, the frame store it
 * saves into, and the driver that runs the task one step at a time.
 *
 * <h2>The protocol woven code follows</h2>
 * Suspension unwinds the Java stack by returning, never by throwing, and resumption rebuilds
 * it by calling the entry again:
 * <ol>
 *   <li>On entry every woven method takes the current continuation ({@link #current()}),
 *       reads and clears {@link #handshake} (the name of the method a woven call site meant
 *       to call),
 *       and, if {@link #resuming} is set, restores its frame and jumps to the call it was
 *       suspended in, which it makes again.
 *   <li>Before each call to an {@code @Async} method, woven code sets {@link #handshake} to
 *       the callee's name (an interned constant);
 *       after it, woven code tests {@link #suspending}. If set, it pushes its operand stack,
 *       its locals and a state number into the frame store and returns a default value.
 *   <li>A leaf ({@link #suspend()}) sets {@link #suspending} to start the unwind. On the
 *       next step the driver sets {@link #resuming} and calls the entry again; each frame
 *       pops what it pushed, outermost first, and the leaf clears {@link #resuming} and
 *       returns the resume value, or throws the resume failure.
 * </ol>
 * The frame store is a pair of stacks, one of {@code long} for every primitive (ints, floats
 * and doubles by their raw bits) and one of references; frames are pushed innermost first
 * and popped outermost first, so each frame pops its values in the reverse of the order it
 * pushed them. Both arrays are made on the first suspension and reused afterwards: the path
 * on which nothing suspends allocates nothing.
 *
 * <h2>States</h2>
 * <pre>
 *   NEW --run()--> RUNNING --entry returns or throws--> DONE
 *                     |  ^
 *      leaf suspends  v  |  run()
 *                   SUSPENDED
 * </pre>
 *
 * <p>Members the weaver calls by name are marked so; renaming one means changing
 * {@code dev.weft.weaver.transform.RuntimeNames} in the weaver in the same commit.
 *
 * <p>A continuation belongs to the thread that runs it: it is not thread-safe, and each
 * step must run on one thread from start to end.
 *
 * <p>The scheduler's task record ({@link TaskCore}) extends this class, so that woven code
 * finds the running task in the same read that finds its continuation, and a task is one
 * object rather than two.
 */
@Woven(Woven.HAND_WRITTEN)
public class Continuation {

    /** Where a continuation is in its life. */
    public enum Status {
        /** Created, never run. */
        NEW,
        /** A step is running on some thread. */
        RUNNING,
        /** The last step ended in a suspension; {@link #run()} resumes it. */
        SUSPENDED,
        /** The entry returned or threw; {@link #result()} tells which. */
        DONE
    }

    private static final long[] NO_PRIMS = new long[0];
    /** The name the driver announces when it calls the entry: {@link AsyncCallable#call()}. */
    private static final String ENTRY_NAME = "call";
    /** The name the driver announces when its entry is an {@link AsyncRunnable}: {@link AsyncRunnable#run()}. */
    private static final String RUNNABLE_NAME = "run";
    private static final Object[] NO_REFS = new Object[0];
    private static final String[] NO_SITES = new String[0];

    // ---------------------------------------------------------------- flags woven code uses

    /**
     * Set by the driver at the start of a step that resumes; cleared by the leaf that the
     * step re-enters. Read by every woven method on entry. Called by the weaver by name.
     * Invariant: true only while the stack is being rebuilt, between the driver's call to
     * the entry and the leaf.
     */
    public boolean resuming;

    /**
     * Set by the leaf when it suspends; cleared by the driver when the entry has returned.
     * Read by woven code after every async call. Called by the weaver by name.
     * Invariant: true only while the stack unwinds.
     */
    public boolean suspending;

    /**
     * The name of the method a woven call site (or the driver) is about to call, set just
     * before the call; read and cleared by the callee on entry. A woven method that finds
     * another name (or none) when its callee suspends was reached through frames it did not
     * expect, and asks {@link #checkCaller} whether they are pass-through frames. Called by
     * the weaver by name.
     * Invariant: an interned string constant or null, so woven code compares it by identity.
     */
    public String handshake;

    // ---------------------------------------------------------------- the frame store

    /** Primitive slots, innermost frame at the bottom. Written and read by woven code. */
    private long[] prims = NO_PRIMS;
    private int primTop;
    /** Reference slots, innermost frame at the bottom. Written and read by woven code. */
    private Object[] refs = NO_REFS;
    private int refTop;
    /**
     * Where each saved frame was suspended, innermost first ("Fetcher.get(Fetcher.java:12)").
     * Written by woven save blocks ({@link #pushSite}); reset at the start of each step.
     */
    private String[] sites = NO_SITES;
    private int siteTop;

    // ---------------------------------------------------------------- the driver

    /** The entry, when it returns a value; exactly one of this and {@link #runnable} is set. */
    private final AsyncCallable<?> entry;
    /**
     * The entry, when it returns nothing: called directly rather than through an adapter, so a
     * task started with an {@link AsyncRunnable} has one frame (and one object) fewer.
     */
    private final AsyncRunnable runnable;
    private final boolean isDetached;
    private Status status = Status.NEW;
    /**
     * What the leaf returns on the next resumption, or, when {@link #resumeFails}, the
     * {@code Throwable} it throws. One field for both keeps every task four bytes smaller.
     */
    private Object resumeWith;
    private boolean resumeFails;
    /** The entry's value, or, when {@link #failed}, the {@code Throwable} it threw. */
    private Object outcome;
    private boolean failed;
    private int suspensions;

    /**
     * Creates a continuation that will run {@code entry}.
     *
     * @param entry the task's body; called again on every resumption
     */
    public Continuation(AsyncCallable<?> entry) {
        this.entry = Objects.requireNonNull(entry, "entry");
        this.runnable = null;
        this.isDetached = false;
    }

    /**
     * Creates a continuation that will run {@code body}, whose result is null.
     *
     * @param body the task's body; called again on every resumption
     */
    public Continuation(AsyncRunnable body) {
        this.entry = null;
        this.runnable = Objects.requireNonNull(body, "body");
        this.isDetached = false;
    }

    /** For the task record: exactly one of {@code entry} and {@code body} is non-null. */
    Continuation(AsyncCallable<?> entry, AsyncRunnable body) {
        if ((entry == null) == (body == null)) {
            throw new IllegalArgumentException("exactly one of entry and body must be given");
        }
        this.entry = entry;
        this.runnable = body;
        this.isDetached = false;
    }

    Continuation() {
        this.entry = null;
        this.runnable = null;
        this.isDetached = true;
    }

    static Continuation detached() {
        return new Continuation();
    }

    /**
     * Returns the continuation running on the calling thread, or a detached one (whose code
     * runs without ever suspending) if none runs. Not a checkpoint; never allocates after a
     * thread's first call. Called by the weaver by name, on entry to every woven method.
     *
     * @return the current continuation, never null
     */
    public static Continuation current() {
        return Carrier.current().running;
    }

    /**
     * Returns whether a continuation (not the detached one) runs on the calling thread.
     *
     * @return true inside a step of some continuation
     */
    public static boolean isRunningOnThisThread() {
        return !current().isDetached;
    }

    // ---------------------------------------------------------------- driving

    /**
     * Runs one step: the entry from its start if the continuation is new, or from where it
     * suspended. Returns when the entry suspends, returns or throws.
     *
     * @return {@link Status#SUSPENDED} or {@link Status#DONE}
     * @throws IllegalStateException if the continuation is running or done
     */
    public final Status run() {
        if (status == Status.RUNNING || status == Status.DONE) {
            throw new IllegalStateException("cannot run a continuation: expected NEW or SUSPENDED, but was " + status);
        }
        Carrier carrier = Carrier.current();
        Continuation outer = carrier.running;
        carrier.running = this;
        resuming = status == Status.SUSPENDED;
        status = Status.RUNNING;
        siteTop = 0;
        try {
            Object value;
            if (runnable != null) {
                handshake = RUNNABLE_NAME;
                runnable.run();
                value = null;
            } else {
                handshake = ENTRY_NAME;
                value = entry.call();
            }
            if (suspending) {
                suspending = false;
                suspensions++;
                status = Status.SUSPENDED;
                return status;
            }
            if (resuming) {
                throw lostResume();
            }
            outcome = value;
        } catch (Throwable t) {
            outcome = t;
            failed = true;
        } finally {
            carrier.running = outer;
        }
        resuming = false;
        suspending = false;
        clearFrames();
        status = Status.DONE;
        return status;
    }

    private IllegalStateException lostResume() {
        return new IllegalStateException("a resumed task returned from its entry before reaching the point where it "
                + "suspended (" + (primTop + refTop) + " frame slots left): a frame between the entry and the "
                + "suspension point was not woven, or its code changed between the two steps");
    }

    /**
     * Sets the value the leaf returns when the next step resumes the continuation.
     *
     * @param value the value {@link #suspend()} returns
     */
    public final void resumeWith(Object value) {
        this.resumeWith = value;
        this.resumeFails = false;
    }

    /**
     * Makes the leaf throw {@code failure} when the next step resumes the continuation, as a
     * cancelled wait does.
     *
     * @param failure what {@link #suspend()} throws
     */
    public final void resumeWithFailure(Throwable failure) {
        this.resumeWith = Objects.requireNonNull(failure, "failure");
        this.resumeFails = true;
    }

    /** Returns where the continuation is in its life. @return the status */
    public final Status status() {
        return status;
    }

    /** Returns how many steps ended in a suspension. @return the count */
    public final int suspensions() {
        return suspensions;
    }

    /**
     * Returns the entry's value.
     *
     * @return what the entry returned
     * @throws IllegalStateException if the continuation is not done, or failed (with the
     *     failure as the cause)
     */
    public final Object result() {
        if (status != Status.DONE) {
            throw new IllegalStateException("no result: expected DONE, but was " + status);
        }
        if (failed) {
            throw new IllegalStateException("no result: expected DONE normally, but the entry threw",
                    (Throwable) outcome);
        }
        return outcome;
    }

    /** Returns what the entry threw, or null. @return the failure */
    public final Throwable failure() {
        return failed ? (Throwable) outcome : null;
    }

    /** Returns the number of frame slots in use, primitive and reference. @return slots saved */
    public final int savedSlots() {
        return primTop + refTop;
    }

    /** Returns whether the current step is rebuilding the stack. @return {@link #resuming} */
    public final boolean isResuming() {
        return resuming;
    }

    // ---------------------------------------------------------------- the leaf

    /**
     * Suspends the current continuation: the one leaf on which every blocking operation is
     * built. A suspension point. Called from woven code, it returns (without a value
     * observable to the caller) to start the unwind; when the continuation is resumed the
     * woven frames re-enter down to this call, which then returns the value given to
     * {@link #resumeWith(Object)} or throws the failure given to
     * {@link #resumeWithFailure(Throwable)}.
     *
     * <p>Hand-written to the woven protocol. A primitive that wraps it (registering a wake-up
     * first) must do its registering only when {@link #isResuming()} is false, and must
     * itself be {@code @Async} and reached only from woven call sites.
     *
     * @return the resume value
     * @throws UnwovenFrameError if the caller is not a woven call site
     * @throws IllegalStateException if no continuation runs on this thread
     */
    @Async
    public static Object suspend() {
        Continuation c = current();
        String via = c.handshake;
        c.handshake = null;
        if (c.resuming) {
            c.resuming = false;
            if (c.primTop != 0 || c.refTop != 0) {
                int left = c.primTop + c.refTop;
                c.clearFrames();
                throw new IllegalStateException("a resumed task reached its suspension point with " + left
                        + " frame slots still saved: a frame was left behind");
            }
            Object v = c.resumeWith;
            Throwable f = c.resumeFails ? (Throwable) v : null;
            c.resumeWith = null;
            c.resumeFails = false;
            if (f != null) {
                throw sneaky(f);
            }
            return v;
        }
        if (c.isDetached) {
            throw new IllegalStateException("Continuation.suspend() called on thread '" + Thread.currentThread().getName()
                    + "', which runs no task: call it from an @Async method of a running task");
        }
        if (via != "suspend") {
            c.checkCaller(via, Continuation.class.getName(), "suspend");
        }
        c.suspending = true;
        return null;
    }

    @SuppressWarnings("unchecked")
    private static <T extends Throwable> RuntimeException sneaky(Throwable t) throws T {
        throw (T) t;
    }

    // ---------------------------------------------------------------- calls woven code makes

    /**
     * Decides whether a suspension may unwind into the frames that called a woven method,
     * when the name its caller announced is not the method's own (a lambda's body, a method
     * reference, reflection, or an unwoven frame). Walks the stack: the frames between the
     * method and the nearest woven one must all be pass-through frames (lambda proxies,
     * {@code java.lang.invoke} and reflection), which carry no state after the call. A
     * frame that passed is remembered, so the walk happens once per method and caller name.
     * Otherwise drops what deeper frames saved and throws. Called by the weaver by name.
     *
     * @param announced the name the caller announced, or null
     * @param owner the binary name of the woven method's class
     * @param method the woven method's name
     * @throws UnwovenFrameError if an unwoven frame with code of its own would be unwound
     */
    public void checkCaller(String announced, String owner, String method) {
        String problem = UnwovenFrames.check(announced, owner, method);
        if (problem == null) {
            return;
        }
        suspending = false;
        clearFrames();
        throw new UnwovenFrameError(owner + "." + method + " tried to suspend, but it was called through a frame "
                + "that is not woven: " + problem + ". That frame would carry on after its callee returned early, so "
                + "Weft refuses to suspend. Fix: weave that frame's class (Maven plugin or agent) and make its method "
                + "@Async, or do not reach async code through reflection or a callback that is not @Async.");
    }

    /**
     * Fails a resumption that found a state number the method does not have. Called by the
     * weaver by name.
     *
     * @param owner the binary name of the woven method's class
     * @param method the woven method's name
     * @param state the state number popped
     * @return never returns normally; typed so woven code can {@code athrow} the result
     */
    public RuntimeException badState(int state, String owner, String method) {
        resuming = false;
        clearFrames();
        return new IllegalStateException("resuming " + owner + "." + method + " found state " + state
                + ", which it does not have: the frame store is out of step with the stack (was a class "
                + "redefined between two steps?)");
    }

    /**
     * Records where a frame that is being saved was suspended: its method and source line.
     * Called by the weaver by name, once per frame in each save block.
     *
     * @param site {@code Class.method(File.java:line)}, an interned constant
     * @param c the store
     */
    public static void pushSite(String site, Continuation c) {
        String[] a = c.sites;
        int t = c.siteTop;
        if (t == a.length) {
            a = c.sites = Arrays.copyOf(a, Math.max(2, t * 2));
        }
        a[t] = site;
        c.siteTop = t + 1;
    }

    /**
     * Returns where the continuation is suspended: the innermost woven frame's method and
     * line, or null if it is not suspended or its code records no sites.
     *
     * @return the site, or null
     */
    public final String suspendedSite() {
        return status == Status.SUSPENDED && siteTop > 0 ? sites[0] : null;
    }

    /**
     * Returns where each woven frame of the continuation is suspended, innermost first, or
     * an empty list if it is not suspended.
     *
     * @return the sites, as {@code Class.method(File.java:line)}
     */
    public final java.util.List<String> suspendedSites() {
        return status == Status.SUSPENDED ? java.util.List.of(Arrays.copyOf(sites, siteTop)) : java.util.List.of();
    }

    /** Pushes an int, boolean, byte, char or short. Called by the weaver by name. @param v the value @param c the store */
    public static void pushInt(int v, Continuation c) {
        c.pushPrim(v);
    }

    /** Pushes a long. Called by the weaver by name. @param v the value @param c the store */
    public static void pushLong(long v, Continuation c) {
        c.pushPrim(v);
    }

    /** Pushes a float by its raw bits. Called by the weaver by name. @param v the value @param c the store */
    public static void pushFloat(float v, Continuation c) {
        c.pushPrim(Float.floatToRawIntBits(v));
    }

    /** Pushes a double by its raw bits. Called by the weaver by name. @param v the value @param c the store */
    public static void pushDouble(double v, Continuation c) {
        c.pushPrim(Double.doubleToRawLongBits(v));
    }

    /** Pushes a reference. Called by the weaver by name. @param v the value @param c the store */
    public static void pushRef(Object v, Continuation c) {
        Object[] a = c.refs;
        int t = c.refTop;
        if (t == a.length) {
            a = c.refs = Arrays.copyOf(a, Math.max(2, t * 2));
        }
        a[t] = v;
        c.refTop = t + 1;
    }

    /** Pops an int. Called by the weaver by name. @return the value */
    public int popInt() {
        return (int) popPrim();
    }

    /** Pops a long. Called by the weaver by name. @return the value */
    public long popLong() {
        return popPrim();
    }

    /** Pops a float. Called by the weaver by name. @return the value */
    public float popFloat() {
        return Float.intBitsToFloat((int) popPrim());
    }

    /** Pops a double. Called by the weaver by name. @return the value */
    public double popDouble() {
        return Double.longBitsToDouble(popPrim());
    }

    /** Pops a reference, clearing its slot. Called by the weaver by name. @return the value */
    public Object popRef() {
        int t = refTop - 1;
        Object v = refs[t];
        refs[t] = null;
        refTop = t;
        return v;
    }

    private void pushPrim(long v) {
        long[] a = prims;
        int t = primTop;
        if (t == a.length) {
            a = prims = Arrays.copyOf(a, Math.max(2, t * 2));
        }
        a[t] = v;
        primTop = t + 1;
    }

    private long popPrim() {
        return prims[--primTop];
    }

    private void clearFrames() {
        Arrays.fill(refs, 0, refTop, null);
        refTop = 0;
        primTop = 0;
    }

    @Override
    public String toString() {
        return isDetached ? "Continuation[detached]" : "Continuation[" + status + ", " + savedSlots() + " slots saved]";
    }
}
