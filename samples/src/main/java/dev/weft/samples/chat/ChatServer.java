package dev.weft.samples.chat;

import dev.weft.BrokenResourceException;
import dev.weft.CancelScope;
import dev.weft.Nursery;
import dev.weft.Weft;
import dev.weft.annotation.Async;
import dev.weft.channel.EndOfChannelException;
import dev.weft.channel.MemoryChannel;
import dev.weft.channel.MemoryReceiveChannel;
import dev.weft.channel.MemorySendChannel;
import dev.weft.net.SocketStream;
import java.net.ProtocolException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A line-based chat room: every line a client sends goes to every client in the room, the
 * sender included, as {@code "client-3: hello"}; joins and leaves are announced as lines that
 * start with {@code "*** "}.
 * <pre>
 *                         +--> queue (64 lines) --> writer --> client-1
 *   client-2 --> reader --+--> queue (64 lines) --> writer --> client-2
 *   (broadcasts)          +--> queue (64 lines) --> writer --> client-3
 * </pre>
 * Each connection is one {@link #handle} call ({@code Net.serveTcp}'s handler) with two tasks:
 * its reader, which broadcasts what the client says, and its writer, which drains the
 * client's own bounded {@link MemoryChannel} into the socket. Broadcasting is
 * {@link MemorySendChannel#trySend}, so it never waits: a slow client only ever slows its own
 * writer.
 *
 * <h2>A client that does not keep up</h2>
 * When a client's queue is full (its socket buffers are full and {@link #QUEUE_LINES} more
 * lines are waiting), the server does what IRC servers do on "SendQ exceeded": it drops
 * the client. The client leaves the room at once (the others see
 * {@code "*** client-3 left (too slow)"}), its reader and writer are cancelled, and the server
 * gives the notice {@code "*** disconnected: too slow"} {@link #NOTICE_GRACE} to reach the
 * client's socket before closing it. Lines already queued for that client are discarded.
 * A client that leaves normally has its queue flushed, for at most the same grace.
 *
 * <h2>The protocol</h2>
 * <ul>
 *   <li>On connecting, the client gets {@code "*** welcome, you are client-N; here: client-1, client-2"}
 *       and the others get {@code "*** client-N joined"}.</li>
 *   <li>Each line ends with {@code \n} ({@code \r\n} is accepted); a line longer than
 *       {@link #MAX_LINE_BYTES} gets {@code "*** line too long"} and a disconnection.</li>
 *   <li>When the client closes its end, the others get {@code "*** client-N left"}.</li>
 * </ul>
 *
 * <p>All state is touched only by tasks of one run, on its thread, so it needs no locks.
 */
public final class ChatServer {
    /** Lines that may wait for one client before it counts as too slow. */
    public static final int QUEUE_LINES = 64;
    /** The longest line accepted, in bytes without the line end. */
    public static final int MAX_LINE_BYTES = 16 * 1024;
    /** How long a dropped client's socket gets to take the "too slow" notice. */
    public static final Duration NOTICE_GRACE = Duration.ofSeconds(2);

    /** Where a client is; changes only as the arrows show. */
    private enum State {
        /** In the room: broadcasts reach it. */
        IN_ROOM,
        /** Dropped by a broadcast that found its queue full; its tasks are being cancelled. */
        DROPPED,
        /** Gone: it closed its end, sent a line too long, or its connection failed. */
        LEFT
        // IN_ROOM --> DROPPED, IN_ROOM --> LEFT
    }

    /** One connection's view in the room. */
    private static final class Client {
        final String name;
        final MemorySendChannel<String> queue;
        /** The scope of the connection's reader and writer. Set once, by {@link #handle}, before it joins. */
        CancelScope connection;
        /** Written by {@link #drop} and {@link #leave}, read by both and by {@link #handle}. */
        State state = State.IN_ROOM;
        /**
         * Written by the writer: true while a line is partly sent, so that the notice after a
         * drop starts on a line of its own.
         */
        boolean midLine;

        Client(String name, MemorySendChannel<String> queue) {
            this.name = name;
            this.queue = queue;
        }
    }

    /** The clients in the room, in the order they joined. Written by readers and broadcasts. */
    private final Map<String, Client> room = new LinkedHashMap<>();
    /** The number of the last client to connect. Written by {@link #handle}. */
    private int nextId;
    /** Clients dropped as too slow. Written by {@link #drop}. */
    private int dropped;

    /** How many clients were dropped as too slow, so far. Not a checkpoint. @return the count */
    public int droppedCount() {
        return dropped;
    }

    /** The names of the clients in the room, in join order. Not a checkpoint. @return the names */
    public List<String> members() {
        return List.copyOf(room.keySet());
    }

    /**
     * Serves one connection until the client leaves or is dropped: {@code Net.serveTcp}'s
     * handler. Cancelling it takes the client out of the room. It never fails because of
     * the client: a reset connection counts as leaving.
     *
     * @param s the client's connection
     */
    @Async
    public void handle(SocketStream s) {
        MemoryChannel<String> queue = MemoryChannel.open(QUEUE_LINES);
        Client c = new Client("client-" + (++nextId), queue.sender());
        try {
            Nursery.open(n -> {
                c.connection = n.cancelScope();
                join(c);
                n.startSoon(c.name + " writer", () -> write(s, c, queue.receiver()));
                read(s, c);
                if (c.state == State.IN_ROOM) {
                    leave(c, "");
                }
                // Its queue is closed now: the writer sends what is left in it, for at most the grace.
                n.cancelScope().setDeadline(Weft.currentTime() + NOTICE_GRACE.toNanos() / 1e9);
            });
        } finally {
            if (c.state == State.IN_ROOM) { // cancelled from outside: the server is stopping
                leave(c, "");
            }
        }
        if (c.state == State.DROPPED) {
            CancelScope.moveOnAfter(NOTICE_GRACE).run(() -> {
                try {
                    String notice = (c.midLine ? "\n" : "") + "*** disconnected: too slow\n";
                    s.sendAll(notice.getBytes(StandardCharsets.UTF_8));
                } catch (BrokenResourceException e) {
                    // It has gone already.
                }
            });
        }
    }

    /** Adds {@code c} to the room, greets it and tells the others. */
    private void join(Client c) {
        List<String> here = new ArrayList<>(room.keySet());
        room.put(c.name, c);
        c.queue.trySend("*** welcome, you are " + c.name + "; here: "
                + (here.isEmpty() ? "nobody else" : String.join(", ", here)));
        broadcast("*** " + c.name + " joined", c);
    }

    /** The reader: broadcasts each line the client sends, until its end of stream. */
    @Async
    private void read(SocketStream s, Client c) {
        LineReader lines = new LineReader(s, MAX_LINE_BYTES);
        try {
            for (String line; (line = lines.readLine()) != null; ) {
                broadcast(c.name + ": " + line, null);
                // One receive can bring many lines: let the writers take this one before the next.
                Weft.checkpoint();
            }
        } catch (ProtocolException e) {
            c.queue.trySend("*** line too long (the limit is " + MAX_LINE_BYTES + " bytes); bye");
        } catch (BrokenResourceException e) {
            // The connection was reset: the client has left.
        }
    }

    /**
     * The writer: sends the queued lines until the queue ends or the task is cancelled, all
     * the lines waiting in one write, so it empties the queue as fast as the socket takes them.
     */
    @Async
    private void write(SocketStream s, Client c, MemoryReceiveChannel<String> queue) {
        // The receive end is never closed: a broadcast that reaches the queue of a client whose
        // writer has just ended (the server is stopping) must not fail, and leave() ends the queue.
        try {
            StringBuilder batch = new StringBuilder();
            for (String line; (line = queue.receiveOrNull()) != null; ) {
                batch.setLength(0);
                do {
                    batch.append(line).append('\n');
                } while ((line = poll(queue)) != null);
                c.midLine = true;
                s.sendAll(batch.toString().getBytes(StandardCharsets.UTF_8));
                c.midLine = false;
            }
        } catch (BrokenResourceException e) {
            // The client has gone; its reader sees that too, and leaves.
        }
    }

    /** The next line if one is waiting, else null (also at the end of the queue). Not a checkpoint. */
    private static String poll(MemoryReceiveChannel<String> queue) {
        try {
            return queue.tryReceive();
        } catch (EndOfChannelException e) {
            return null;
        }
    }

    /**
     * Puts {@code line} in the queue of every client in the room except {@code except}, without
     * waiting; drops each client whose queue is full. Not a checkpoint.
     */
    private void broadcast(String line, Client except) {
        List<Client> tooSlow = null;
        for (Client c : room.values()) {
            if (c != except && !c.queue.trySend(line)) {
                if (tooSlow == null) {
                    tooSlow = new ArrayList<>();
                }
                tooSlow.add(c);
            }
        }
        if (tooSlow != null) {
            for (Client c : tooSlow) {
                drop(c);
            }
        }
    }

    /** Takes a client that cannot keep up out of the room and cancels its tasks. */
    private void drop(Client c) {
        if (c.state != State.IN_ROOM) {
            return;
        }
        dropped++;
        leave(c, " (too slow)");
        c.state = State.DROPPED;
        c.connection.cancel(c.name + " is too slow: " + QUEUE_LINES + " lines are waiting for it");
    }

    /** Takes {@code c}, which is in the room, out of it, closes its queue and tells the others. */
    private void leave(Client c, String why) {
        c.state = State.LEFT;
        room.remove(c.name);
        c.queue.close();
        broadcast("*** " + c.name + " left" + why, null);
    }
}
