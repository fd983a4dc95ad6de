package triplicate.backend.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.NoSuchFileException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import triplicate.backend.Backend;
import triplicate.backend.BulkInputStream;
import triplicate.backend.FileInfo;
import triplicate.backend.Handle;
import triplicate.backend.Source;
import triplicate.core.FileType;

/**
 * The {@link Backend} contract as tests. Every backend extends this class and supplies {@link #newBackend()}; network
 * backends run it against a real server. Data comes from a seeded {@link Random}, so a failure reproduces.
 *
 * <p>Subclasses may reach the backend under test through {@link #backend} and the helpers {@link #handle},
 * {@link #bytes} and {@link #failingSource}.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
public abstract class BackendContractTest {
    private static final int MIB = 1 << 20;

    /** The backend under test, fresh and empty for each test, closed after it. */
    protected Backend backend;
    private final Random random = new Random(20240601);

    /** A new, empty backend; closed by the test after use. */
    protected abstract Backend newBackend() throws Exception;

    @BeforeEach
    void openBackend() throws Exception {
        backend = newBackend();
    }

    @AfterEach
    void closeBackend() throws IOException {
        if (backend != null) {
            backend.close();
        }
    }

    @ParameterizedTest
    @EnumSource(FileType.class)
    void savedFilesReadBackIdentically(FileType type) throws IOException {
        Handle h = handle(type);
        byte[] data = bytes(1000 + random.nextInt(5000));
        backend.save(h, Source.of(data));

        assertThat(backend.load(h)).isEqualTo(data);
        assertThat(backend.stat(h)).isEqualTo(new FileInfo(h.name(), data.length));
        assertThat(backend.exists(h)).isTrue();
    }

    @Test
    void emptyFileReadsBackEmpty() throws IOException {
        Handle h = handle(FileType.LOCK);
        backend.save(h, Source.of(new byte[0]));

        assertThat(backend.load(h)).isEmpty();
        assertThat(backend.stat(h).size()).isZero();
        assertThat(backend.list(FileType.LOCK)).containsExactly(new FileInfo(h.name(), 0));
    }

    @Test
    void largeFileReadsBackIdentically() throws IOException {
        byte[] data = bytes(5 * MIB);
        Handle inMemory = handle(FileType.PACK);
        Handle streamed = handle(FileType.PACK);
        backend.save(inMemory, Source.of(data));
        backend.save(streamed, streamingSource(data));

        assertThat(backend.load(inMemory)).isEqualTo(data);
        assertThat(backend.load(streamed)).isEqualTo(data);
        assertThat(backend.load(streamed, 3 * MIB + 7, 100_000)).isEqualTo(Arrays.copyOfRange(data, 3 * MIB + 7, 3 * MIB + 100_007));
    }

    @Test
    void savingOverAnExistingFileFailsAndKeepsTheOriginal() throws IOException {
        Handle h = handle(FileType.SNAPSHOT);
        byte[] original = bytes(300);
        backend.save(h, Source.of(original));

        assertThatThrownBy(() -> backend.save(h, Source.of(bytes(500))))
                .isInstanceOf(FileAlreadyExistsException.class)
                .hasMessageContaining(h.name());
        assertThatThrownBy(() -> backend.save(h, streamingSource(bytes(300))))
                .isInstanceOf(FileAlreadyExistsException.class);
        assertThat(backend.load(h)).isEqualTo(original);
        assertThat(backend.list(FileType.SNAPSHOT)).containsExactly(new FileInfo(h.name(), 300));
    }

    @Test
    void rangeReadsReturnTheRequestedBytes() throws IOException {
        Handle h = handle(FileType.PACK);
        byte[] data = bytes(10_000);
        backend.save(h, Source.of(data));

        assertThat(read(h, 0, -1)).isEqualTo(data);
        assertThat(read(h, 0, 10_000)).isEqualTo(data);
        assertThat(read(h, 1234, 100)).isEqualTo(Arrays.copyOfRange(data, 1234, 1334));
        assertThat(read(h, 9000, -1)).isEqualTo(Arrays.copyOfRange(data, 9000, 10_000));
        assertThat(read(h, 500, 0)).isEmpty();
        assertThat(backend.load(h, 9990, 10)).isEqualTo(Arrays.copyOfRange(data, 9990, 10_000));
    }

    @Test
    void rangesLoadIntoAGivenBuffer() throws IOException {
        Handle h = handle(FileType.PACK);
        byte[] data = bytes(3 * MIB + 5);
        backend.save(h, Source.of(data));

        byte[] buffer = new byte[3 * MIB + 20];
        Arrays.fill(buffer, (byte) 7);
        backend.load(h, 0, buffer, 10, data.length);
        assertThat(Arrays.copyOfRange(buffer, 10, 10 + data.length)).isEqualTo(data);
        assertThat(buffer[9]).isEqualTo((byte) 7);
        assertThat(buffer[10 + data.length]).isEqualTo((byte) 7);

        backend.load(h, MIB + 3, buffer, 0, 1000);
        assertThat(Arrays.copyOfRange(buffer, 0, 1000)).isEqualTo(Arrays.copyOfRange(data, MIB + 3, MIB + 1003));
        assertThatThrownBy(() -> backend.load(h, data.length - 10, buffer, 0, 11)).isInstanceOf(EOFException.class);
        assertThatThrownBy(() -> backend.load(h, 0, buffer, buffer.length - 5, 6))
                .isInstanceOf(IndexOutOfBoundsException.class);
        assertThatThrownBy(() -> backend.load(handle(FileType.PACK), 0, buffer, 0, 1))
                .isInstanceOf(NoSuchFileException.class);
    }

    @Test
    void rangeReadsPastTheEndAreShort() throws IOException {
        Handle h = handle(FileType.PACK);
        byte[] data = bytes(1000);
        backend.save(h, Source.of(data));

        assertThat(read(h, 990, 100)).isEqualTo(Arrays.copyOfRange(data, 990, 1000));
        assertThat(read(h, 1000, 10)).isEmpty();
        assertThat(read(h, 5000, 10)).isEmpty();
        assertThat(read(h, 5000, -1)).isEmpty();
        assertThatThrownBy(() -> backend.load(h, 990, 100)).isInstanceOf(EOFException.class);
    }

    @Test
    void aFileCanBeReadByTwoStreamsAtOnce() throws IOException {
        Handle h = handle(FileType.INDEX);
        byte[] data = bytes(4000);
        backend.save(h, Source.of(data));

        try (InputStream a = backend.open(h, 0, -1); InputStream b = backend.open(h, 2000, -1)) {
            assertThat(a.readNBytes(1000)).isEqualTo(Arrays.copyOfRange(data, 0, 1000));
            assertThat(b.readNBytes(1000)).isEqualTo(Arrays.copyOfRange(data, 2000, 3000));
            assertThat(a.readAllBytes()).isEqualTo(Arrays.copyOfRange(data, 1000, 4000));
            assertThat(b.readAllBytes()).isEqualTo(Arrays.copyOfRange(data, 3000, 4000));
        }
    }

    @Test
    void anEmptyBackendListsNothing() throws IOException {
        for (FileType type : FileType.values()) {
            assertThat(backend.list(type)).as("list(%s)", type).isEmpty();
        }
    }

    @Test
    void listReturnsExactlyTheSavedFilesOfEachType() throws IOException {
        Map<FileType, List<FileInfo>> expected = new HashMap<>();
        for (FileType type : FileType.values()) {
            List<FileInfo> saved = new ArrayList<>();
            int count = type == FileType.CONFIG ? 1 : 3 + random.nextInt(5);
            for (int i = 0; i < count; i++) {
                Handle h = handle(type);
                int size = random.nextInt(2000);
                backend.save(h, Source.of(bytes(size)));
                saved.add(new FileInfo(h.name(), size));
            }
            expected.put(type, saved);
        }
        // the same name under another type is another file
        String shared = expected.get(FileType.SNAPSHOT).get(0).name();
        backend.save(new Handle(FileType.LOCK, shared), Source.of(bytes(7)));
        expected.get(FileType.LOCK).add(new FileInfo(shared, 7));

        for (FileType type : FileType.values()) {
            assertThat(backend.list(type)).as("list(%s)", type).containsExactlyInAnyOrderElementsOf(expected.get(type));
        }
    }

    @Test
    void removedFilesAreGone() throws IOException {
        Handle h = handle(FileType.LOCK);
        Handle other = handle(FileType.LOCK);
        backend.save(h, Source.of(bytes(100)));
        backend.save(other, Source.of(bytes(200)));

        backend.remove(h);

        assertThat(backend.exists(h)).isFalse();
        assertThatThrownBy(() -> backend.load(h)).isInstanceOf(NoSuchFileException.class);
        assertThatThrownBy(() -> backend.stat(h)).isInstanceOf(NoSuchFileException.class);
        assertThatThrownBy(() -> backend.remove(h)).isInstanceOf(NoSuchFileException.class);
        assertThat(backend.list(FileType.LOCK)).containsExactly(new FileInfo(other.name(), 200));
    }

    @Test
    void aRemovedNameCanBeSavedAgain() throws IOException {
        Handle h = handle(FileType.LOCK);
        backend.save(h, Source.of(bytes(100)));
        backend.remove(h);
        byte[] again = bytes(50);

        backend.save(h, Source.of(again));

        assertThat(backend.load(h)).isEqualTo(again);
    }

    @ParameterizedTest
    @EnumSource(FileType.class)
    void missingFilesAreReportedAsSuch(FileType type) throws IOException {
        Handle h = handle(type);

        assertThat(backend.exists(h)).isFalse();
        assertThatThrownBy(() -> backend.load(h)).isInstanceOf(NoSuchFileException.class).hasMessageContaining(h.name());
        assertThatThrownBy(() -> backend.open(h, 10, 10).close()).isInstanceOf(NoSuchFileException.class);
        assertThatThrownBy(() -> backend.stat(h)).isInstanceOf(NoSuchFileException.class).hasMessageContaining(h.name());
        assertThatThrownBy(() -> backend.remove(h)).isInstanceOf(NoSuchFileException.class);
    }

    @Test
    void concurrentSavesOfDistinctFilesAllLand() throws Exception {
        Map<Handle, byte[]> files = new HashMap<>();
        for (int i = 0; i < 200; i++) {
            files.put(handle(i % 2 == 0 ? FileType.PACK : FileType.INDEX), bytes(random.nextInt(4000)));
        }
        List<Callable<Void>> saves = new ArrayList<>();
        files.forEach((h, data) -> saves.add(() -> {
            backend.save(h, Source.of(data));
            return null;
        }));

        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            for (Future<Void> f : pool.invokeAll(saves)) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }

        for (Map.Entry<Handle, byte[]> e : files.entrySet()) {
            assertThat(backend.load(e.getKey())).as("%s", e.getKey()).isEqualTo(e.getValue());
        }
        assertThat(backend.list(FileType.PACK).size() + backend.list(FileType.INDEX).size()).isEqualTo(200);
    }

    @Test
    void ofConcurrentSavesOfOneNameExactlyOneWins() throws Exception {
        int writers = 8;
        for (int round = 0; round < 5; round++) {
            Handle h = handle(FileType.PACK);
            List<byte[]> contents = new ArrayList<>();
            for (int i = 0; i < writers; i++) {
                contents.add(bytes(64 * 1024 + i));
            }
            CountDownLatch start = new CountDownLatch(1);
            ExecutorService pool = Executors.newFixedThreadPool(writers);
            List<Future<Integer>> results = new ArrayList<>();
            try {
                for (int i = 0; i < writers; i++) {
                    int writer = i;
                    results.add(pool.submit(() -> {
                        start.await();
                        backend.save(h, Source.of(contents.get(writer)));
                        return writer;
                    }));
                }
                start.countDown();
                List<Integer> winners = new ArrayList<>();
                for (Future<Integer> f : results) {
                    try {
                        winners.add(f.get());
                    } catch (java.util.concurrent.ExecutionException e) {
                        assertThat(e.getCause()).isInstanceOf(FileAlreadyExistsException.class);
                    }
                }
                assertThat(winners).as("round %d", round).hasSize(1);
                assertThat(backend.load(h)).isEqualTo(contents.get(winners.get(0)));
                assertThat(backend.list(FileType.PACK)).filteredOn(f -> f.name().equals(h.name())).hasSize(1);
            } finally {
                pool.shutdownNow();
            }
        }
    }

    @Test
    void aSourceFailingHalfwayLeavesNoFile() throws IOException {
        Handle h = handle(FileType.PACK);
        byte[] data = bytes(200_000);

        assertThatThrownBy(() -> backend.save(h, failingSource(data, 1))).isInstanceOf(IOException.class);

        assertThat(backend.exists(h)).isFalse();
        assertThat(backend.list(FileType.PACK)).isEmpty();
        backend.save(h, Source.of(data));
        assertThat(backend.load(h)).isEqualTo(data);
    }

    @Test
    void aSourceIsReadAfreshWhenASaveIsRetried() throws IOException {
        Handle h = handle(FileType.INDEX);
        byte[] data = bytes(100_000);
        Source flaky = failingSource(data, 2); // the first two opens break halfway, later ones deliver everything

        assertThatThrownBy(() -> backend.save(h, flaky)).isInstanceOf(IOException.class);
        assertThatThrownBy(() -> backend.save(h, flaky)).isInstanceOf(IOException.class);
        backend.save(h, flaky);

        assertThat(backend.load(h)).isEqualTo(data);
        assertThat(backend.list(FileType.INDEX)).containsExactly(new FileInfo(h.name(), data.length));
    }

    @Test
    void aSourceShorterThanAnnouncedIsRefused() throws IOException {
        Handle h = handle(FileType.SNAPSHOT);
        byte[] data = bytes(1000);
        Source liar = new Source() {
            @Override
            public long length() {
                return 2000;
            }

            @Override
            public InputStream open() {
                return new ByteArrayInputStream(data);
            }
        };

        assertThatThrownBy(() -> backend.save(h, liar)).isInstanceOf(IOException.class);

        assertThat(backend.exists(h)).isFalse();
        assertThat(backend.list(FileType.SNAPSHOT)).isEmpty();
    }

    @Test
    void locationIsNamed() {
        assertThat(backend.location()).isNotBlank();
    }

    // ---- helpers for this suite and its subclasses

    /** A handle of {@code type} with a fresh random 64-hex-digit name ({@code config} for the config file). */
    protected final Handle handle(FileType type) {
        if (type == FileType.CONFIG) {
            return Handle.config();
        }
        byte[] name = new byte[32];
        random.nextBytes(name);
        return new Handle(type, HexFormat.of().formatHex(name));
    }

    /** {@code n} seeded random bytes. */
    protected final byte[] bytes(int n) {
        byte[] b = new byte[n];
        random.nextBytes(b);
        return b;
    }

    /**
     * A source over {@code data} whose first {@code failures} streams throw an {@link IOException} after delivering
     * half the bytes; it never offers its bytes in memory, so backends must stream it.
     */
    protected static Source failingSource(byte[] data, int failures) {
        AtomicInteger opens = new AtomicInteger();
        return new Source() {
            @Override
            public long length() {
                return data.length;
            }

            @Override
            public InputStream open() {
                boolean fail = opens.incrementAndGet() <= failures;
                return new BulkInputStream() {
                    private int position;

                    @Override
                    public int read(byte[] b, int off, int len) throws IOException {
                        if (fail && position >= data.length / 2) {
                            throw new IOException("the source broke halfway (test)");
                        }
                        if (position == data.length) {
                            return -1;
                        }
                        int limit = fail ? data.length / 2 : data.length;
                        int n = Math.min(len, Math.max(1, limit - position));
                        n = Math.min(n, data.length - position);
                        System.arraycopy(data, position, b, off, n);
                        position += n;
                        return n;
                    }
                };
            }
        };
    }

    /** A source over {@code data} that must be streamed (offers no in-memory bytes). */
    protected static Source streamingSource(byte[] data) {
        return failingSource(data, 0);
    }

    private byte[] read(Handle h, long offset, long length) throws IOException {
        try (InputStream in = backend.open(h, offset, length)) {
            return in.readAllBytes();
        }
    }
}
