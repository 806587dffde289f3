package dev.weft.world;

import static dev.weft.testing.Testing.assertThrows;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.CancelScope;
import dev.weft.ClosedResourceException;
import dev.weft.Weft;
import dev.weft.annotation.Async;
import dev.weft.file.AsyncFile;
import dev.weft.file.AsyncPath;
import dev.weft.testing.Testing;
import dev.weft.testing.WeftTest;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code AsyncPath} and {@code AsyncFile}: every operation does what its {@code Files} or
 * {@code FileChannel} twin does, on a worker thread, as a checkpoint, with the same
 * exceptions. Ported in spirit from python-trio/trio {@code src/trio/_tests/test_path.py} and
 * {@code test_file_io.py}.
 */
class FilesTest {
    @TempDir
    Path tmp;

    @WeftTest
    @Async
    void writeStringThenReadString_roundTripsUtf8() throws Exception {
        AsyncPath p = AsyncPath.of(tmp).resolve("greeting.txt");
        assertTrue(p.writeString("héllo, wörld\nline 2\n") == p);
        assertEquals("héllo, wörld\nline 2\n", p.readString());
        assertEquals(List.of("héllo, wörld", "line 2"), p.lines());
        assertEquals("héllo, wörld\nline 2\n".getBytes(StandardCharsets.UTF_8).length, p.size());
    }

    @WeftTest
    @Async
    void writeThenReadAllBytes_roundTripsAndAppendAppends() throws Exception {
        AsyncPath p = AsyncPath.of(tmp.resolve("bytes.bin"));
        p.write(new byte[] {1, 2, 3});
        p.write(new byte[] {4}, StandardOpenOption.APPEND);
        assertArrayEquals(new byte[] {1, 2, 3, 4}, p.readAllBytes());
    }

    @WeftTest
    @Async
    void readAllBytes_missingFile_throwsNoSuchFileBare() {
        AsyncPath p = AsyncPath.of(tmp).resolve("missing");
        NoSuchFileException e = assertThrows(NoSuchFileException.class, p::readAllBytes);
        assertTrue(e.getMessage().endsWith("missing"), e.getMessage());
    }

    @WeftTest
    @Async
    void createDirectoriesListExistsDelete_behaveAsFiles() throws Exception {
        AsyncPath d = AsyncPath.of(tmp).resolve("a/b/c").createDirectories();
        assertTrue(d.exists());
        assertTrue(d.isDirectory());
        d.resolve("one").writeString("1");
        d.resolve("two").writeString("2");
        List<AsyncPath> entries = d.list();
        assertEquals(List.of(d.resolve("one"), d.resolve("two")), entries.stream().sorted().toList());
        assertTrue(d.resolve("one").isRegularFile());
        d.resolve("one").delete();
        assertFalse(d.resolve("one").exists());
        assertFalse(d.resolve("one").deleteIfExists());
        assertEquals("c", d.fileName());
        assertEquals(AsyncPath.of(tmp).resolve("a/b"), d.parent());
    }

    @WeftTest
    @Async
    void copyAndMove_behaveAsFilesIncludingTheirFailures() throws Exception {
        AsyncPath src = AsyncPath.of(tmp).resolve("src.txt").writeString("payload");
        AsyncPath copy = src.copy(AsyncPath.of(tmp).resolve("copy.txt"));
        assertEquals("payload", copy.readString());
        assertThrows(FileAlreadyExistsException.class, () -> src.copy(copy));
        AsyncPath moved = copy.move(AsyncPath.of(tmp).resolve("moved.txt"));
        assertFalse(copy.exists());
        assertEquals("payload", moved.readString());
    }

    @WeftTest
    @Async
    void everyFileOperation_isACheckpoint() throws Exception {
        AsyncPath p = AsyncPath.of(tmp).resolve("cp.txt");
        Testing.assertCheckpoints(() -> p.writeString("x"));
        Testing.assertCheckpoints(() -> p.readString());
        Testing.assertCheckpoints(() -> p.exists());
        Testing.assertCheckpoints(() -> p.size());
        Testing.assertCheckpoints(() -> AsyncFile.open(p.toPath()).close());
    }

    @WeftTest
    @Async
    void readString_inCancelledScope_doesNotRun() throws Exception {
        AsyncPath p = AsyncPath.of(tmp).resolve("never.txt");
        CancelScope scope = new CancelScope();
        scope.run(() -> {
            scope.cancel();
            p.writeString("should not be written");
        });
        assertTrue(scope.cancelledCaught());
        assertFalse(Files.exists(p.toPath()));
    }

    // ---------------------------------------------------------------- AsyncFile

    @WeftTest
    @Async
    void asyncFile_writeSeekRead_movesThePositionAsAFileChannel() throws Exception {
        Path path = tmp.resolve("file.bin");
        AsyncFile f = AsyncFile.open(path, StandardOpenOption.CREATE, StandardOpenOption.READ,
                StandardOpenOption.WRITE);
        try {
            byte[] data = "0123456789".getBytes(StandardCharsets.US_ASCII);
            f.write(data);
            data[0] = 'X'; // the write copied it
            assertEquals(10, f.position());
            assertEquals(10, f.size());
            f.position(3);
            byte[] buf = new byte[4];
            assertEquals(4, f.read(buf));
            assertEquals("3456", new String(buf, StandardCharsets.US_ASCII));
            assertEquals("789", new String(f.readAll(), StandardCharsets.US_ASCII));
            assertEquals(-1, f.read(buf));
            f.truncate(5);
            assertEquals(5, f.size());
            f.force(false);
        } finally {
            f.close();
        }
        assertEquals("01234", Files.readString(path));
    }

    @WeftTest
    @Async
    void asyncFile_afterClose_everyOperationThrowsClosedResource() throws Exception {
        AsyncFile f = AsyncFile.open(AsyncPath.of(tmp).resolve("c.txt").writeString("c"));
        f.close();
        f.close();
        assertThrows(ClosedResourceException.class, () -> f.read(new byte[1]));
        assertThrows(ClosedResourceException.class, () -> f.write(new byte[1]));
        assertThrows(ClosedResourceException.class, f::size);
    }

    @WeftTest
    @Async
    void asyncFile_with_closesTheFileWhenTheBodyThrows() throws Exception {
        Path path = tmp.resolve("w.txt");
        Files.writeString(path, "abc");
        AsyncFile[] seen = new AsyncFile[1];
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> AsyncFile.with(path, f -> {
            seen[0] = f;
            assertEquals(3, f.size());
            throw new IllegalStateException("body failed");
        }));
        assertEquals("body failed", e.getMessage());
        assertThrows(ClosedResourceException.class, () -> seen[0].size());
        assertEquals("abc", AsyncFile.with(path, f -> new String(f.readAll(), StandardCharsets.UTF_8)));
    }

    @WeftTest
    @Async
    void asyncFile_openMissing_throwsNoSuchFileBare() {
        assertThrows(NoSuchFileException.class, () -> AsyncFile.open(tmp.resolve("nope")));
    }

    @WeftTest
    @Async
    void asyncPath_ofAndToPath_wrapTheSamePath() {
        Path p = tmp.resolve("x");
        assertEquals(p, AsyncPath.of(p).toPath());
        assertEquals(AsyncPath.of(p), AsyncPath.of(p.toString()));
        assertNotSame(AsyncPath.of(p), AsyncPath.of(p));
        assertEquals(p.toString(), AsyncPath.of(p).toString());
        Weft.currentTime();
    }
}
