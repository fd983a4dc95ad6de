package triplicate.backend.local;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryIteratorException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import triplicate.backend.Backend;
import triplicate.backend.FileInfo;
import triplicate.backend.Handle;
import triplicate.backend.Source;
import triplicate.core.FileType;

/**
 * A vault in a folder of a local file system (internal disk, external drive, mounted NAS share).
 *
 * <pre>
 * ROOT/config
 * ROOT/keys/NAME
 * ROOT/data/XX/NAME      XX = the first two characters of NAME; the 256 sub-folders are created as needed
 * ROOT/index/NAME
 * ROOT/snapshots/NAME
 * ROOT/locks/NAME
 * </pre>
 *
 * <p><b>How a save is made atomic and durable.</b> The bytes go to a temporary file {@code .tmp-<random>} in the
 * target's folder, which is flushed to the device ({@link FileChannel#force}). The file then appears under its real
 * name through a hard link, which the operating system refuses if the name is taken, so an existing file is never
 * replaced, not even by a concurrent writer in another process. Finally the folder itself is flushed so the new
 * name survives a power cut. On file systems without hard links (FAT, exFAT, some network shares) the last step is
 * an existence check followed by an atomic rename: writers in this process are serialised, but a writer in another
 * process could, in a window of microseconds, replace the file; since names are content hashes the replacement
 * holds the same bytes. Whatever fails, the temporary file is deleted; one left by a crash is ignored by
 * {@link #list} and removed by {@link #removeStaleTemporaries}.
 *
 * <p>Removals are not flushed: after a power cut a removed file may reappear. Files and folders are created
 * readable by their owner only, where the file system has POSIX permissions.
 *
 * <p>Names starting with {@code '.'} are reserved for temporary files and are refused. Thread-safe.
 */
public final class LocalBackend implements Backend {
    private static final String TEMP_PREFIX = ".tmp-";
    private static final int COPY_BUFFER = 1 << 16;
    /** The most bytes moved by one read or write call (see {@link #readFully}). */
    static final int IO_SLICE = 1 << 20;
    private static final int LOCK_STRIPES = 64;
    private static final HexFormat HEX = HexFormat.of();

    private final Path root;
    private final String location;
    private final FileAttribute<?>[] fileAttributes;
    private final FileAttribute<?>[] folderAttributes;
    /** Cleared after the first refusal, so the fallback is taken at once from then on. */
    private volatile boolean hardLinks;
    /** Serialises the check-then-rename fallback per name. */
    private final Object[] renameLocks = new Object[LOCK_STRIPES];
    private volatile boolean closed;

    private LocalBackend(Path root, boolean hardLinks) {
        this.root = root;
        this.location = root.toString();
        this.hardLinks = hardLinks;
        boolean posix = root.getFileSystem().supportedFileAttributeViews().contains("posix");
        this.fileAttributes = posix
                ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"))}
                : new FileAttribute<?>[0];
        this.folderAttributes = posix
                ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------"))}
                : new FileAttribute<?>[0];
        for (int i = 0; i < LOCK_STRIPES; i++) {
            renameLocks[i] = new Object();
        }
    }

    /**
     * Creates the folders of a new vault at {@code root} (and {@code root} itself if needed) and opens it. The
     * config file is not written: the caller saves it. Fails with {@link FileAlreadyExistsException} if
     * {@code root} already holds a {@code config} file, i.e. a vault.
     */
    public static LocalBackend create(Path root) throws IOException {
        LocalBackend backend = new LocalBackend(root.toAbsolutePath().normalize(), true);
        backend.createFolders();
        return backend;
    }

    /** Opens the vault folder {@code root}, which must exist; creates nothing. */
    public static LocalBackend open(Path root) throws IOException {
        return open(root, true);
    }

    /** As {@link #open(Path)}; {@code hardLinks = false} forces the rename fallback (for tests). */
    static LocalBackend open(Path root, boolean hardLinks) throws IOException {
        Path absolute = root.toAbsolutePath().normalize();
        BasicFileAttributes attributes;
        try {
            attributes = Files.readAttributes(absolute, BasicFileAttributes.class);
        } catch (NoSuchFileException e) {
            throw new NoSuchFileException(absolute.toString(), null, "no vault folder here (is the drive connected?)");
        }
        if (!attributes.isDirectory()) {
            throw new NotDirectoryException(absolute + " is not a folder, so it cannot be a vault");
        }
        return new LocalBackend(absolute, hardLinks);
    }

    @Override
    public String location() {
        return location;
    }

    @Override
    public void save(Handle handle, Source source) throws IOException {
        ensureOpen();
        Path target = file(handle);
        if (Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
            throw alreadyExists(handle, target);
        }
        Path folder = target.getParent();
        Path temp = null;
        try {
            temp = writeTemp(folder, source);
            publish(temp, target, handle);
            temp = null;
            syncFolder(folder);
        } catch (FileAlreadyExistsException e) {
            throw e;
        } catch (IOException e) {
            throw new IOException(location + ": cannot save " + handle + ": " + describe(e), e);
        } finally {
            if (temp != null) {
                deleteQuietly(temp);
            }
        }
    }

    @Override
    public InputStream open(Handle handle, long offset, long length) throws IOException {
        if (offset < 0) {
            throw new IllegalArgumentException("negative offset " + offset + " for " + handle);
        }
        ensureOpen();
        Path file = file(handle);
        FileChannel channel = FileChannel.open(file, StandardOpenOption.READ);
        return new RangeInputStream(channel, offset, length < 0 ? Long.MAX_VALUE : length, file.toString());
    }

    /**
     * Reads the whole file straight into an array of its size: one positional read per {@value #IO_SLICE} bytes,
     * instead of the stream default's small reads into a chain of growing buffers.
     */
    @Override
    public byte[] load(Handle handle) throws IOException {
        ensureOpen();
        Path file = file(handle);
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = channel.size();
            if (size > Integer.MAX_VALUE - 16) {
                throw new IOException(location + ": " + handle + " is too large to load at once (" + size + " bytes)");
            }
            byte[] bytes = new byte[(int) size];
            int n = readFully(channel, bytes, 0, bytes.length, 0, file);
            return n == bytes.length ? bytes : java.util.Arrays.copyOf(bytes, n);
        }
    }

    /** Reads the range straight into an array of {@code length} bytes, with as few positional reads as possible. */
    @Override
    public byte[] load(Handle handle, long offset, int length) throws IOException {
        if (offset < 0) {
            throw new IllegalArgumentException("negative offset " + offset + " for " + handle);
        }
        if (length < 0) {
            throw new IllegalArgumentException("negative length " + length + " for " + handle);
        }
        ensureOpen();
        Path file = file(handle);
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            byte[] bytes = new byte[length];
            int n = readFully(channel, bytes, 0, length, offset, file);
            if (n != length) {
                throw new java.io.EOFException(location + ": " + handle + " is shorter than expected ("
                        + (offset + n) + " bytes, wanted " + (offset + length) + ")");
            }
            return bytes;
        }
    }

    /** Reads the range straight into {@code dst}, with as few positional reads as possible. */
    @Override
    public void load(Handle handle, long offset, byte[] dst, int dstOff, int length) throws IOException {
        java.util.Objects.checkFromIndexSize(dstOff, length, dst.length);
        if (offset < 0) {
            throw new IllegalArgumentException("negative offset " + offset + " for " + handle);
        }
        ensureOpen();
        Path file = file(handle);
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            int n = readFully(channel, dst, dstOff, length, offset, file);
            if (n != length) {
                throw new java.io.EOFException(location + ": " + handle + " is shorter than expected ("
                        + (offset + n) + " bytes, wanted " + (offset + length) + ")");
            }
        }
    }

    /**
     * Reads up to {@code len} bytes at {@code position} into {@code dst}; returns how many were read (fewer only at
     * the end of the file). Reads at most {@value #IO_SLICE} bytes per call: the JDK copies heap buffers through a
     * per-thread native buffer as large as the largest read, which would otherwise grow to the size of a pack.
     */
    static int readFully(FileChannel channel, byte[] dst, int off, int len, long position, Path file)
            throws IOException {
        ByteBuffer buffer = ByteBuffer.wrap(dst, off, len);
        int done = 0;
        try {
            while (done < len) {
                buffer.limit(off + done + Math.min(IO_SLICE, len - done));
                int n = channel.read(buffer, position + done);
                if (n < 0) {
                    break;
                }
                done += n;
            }
        } catch (IOException e) {
            throw new IOException("cannot read " + file + ": " + e.getMessage(), e);
        }
        return done;
    }

    @Override
    public FileInfo stat(Handle handle) throws IOException {
        ensureOpen();
        return new FileInfo(handle.name(), Files.readAttributes(file(handle), BasicFileAttributes.class).size());
    }

    @Override
    public List<FileInfo> list(FileType type) throws IOException {
        ensureOpen();
        List<FileInfo> result = new ArrayList<>();
        if (type == FileType.CONFIG) {
            Path config = root.resolve(FileType.CONFIG.folder());
            try {
                BasicFileAttributes attributes = Files.readAttributes(config, BasicFileAttributes.class);
                if (attributes.isRegularFile()) {
                    result.add(new FileInfo(FileType.CONFIG.folder(), attributes.size()));
                }
            } catch (NoSuchFileException e) {
                // no config yet
            }
        } else if (type == FileType.PACK) {
            for (Path shard : entries(root.resolve(type.folder()))) {
                if (Files.isDirectory(shard, LinkOption.NOFOLLOW_LINKS)) {
                    listFiles(shard, result);
                }
            }
        } else {
            listFiles(root.resolve(type.folder()), result);
        }
        return result;
    }

    @Override
    public void remove(Handle handle) throws IOException {
        ensureOpen();
        Files.delete(file(handle));
    }

    /** Deletes the temporary files of interrupted saves last modified before {@code cutoff}. */
    @Override
    public int removeStaleTemporaries(Instant before) throws IOException {
        ensureOpen();
        FileTime cutoff = FileTime.from(before);
        List<Path> folders = new ArrayList<>();
        for (FileType type : FileType.values()) {
            if (type == FileType.CONFIG) {
                folders.add(root);
            } else {
                Path folder = root.resolve(type.folder());
                folders.add(folder);
                if (type == FileType.PACK) {
                    for (Path shard : entries(folder)) {
                        if (Files.isDirectory(shard, LinkOption.NOFOLLOW_LINKS)) {
                            folders.add(shard);
                        }
                    }
                }
            }
        }
        int deleted = 0;
        for (Path folder : folders) {
            for (Path entry : entries(folder, p -> p.getFileName().toString().startsWith(TEMP_PREFIX))) {
                try {
                    BasicFileAttributes attributes = Files.readAttributes(entry, BasicFileAttributes.class,
                            LinkOption.NOFOLLOW_LINKS);
                    if (attributes.isRegularFile() && attributes.lastModifiedTime().compareTo(cutoff) < 0
                            && Files.deleteIfExists(entry)) {
                        deleted++;
                    }
                } catch (NoSuchFileException e) {
                    // deleted meanwhile
                }
            }
        }
        return deleted;
    }

    /** Marks the backend closed; it holds no open resources between calls. */
    @Override
    public void close() {
        closed = true;
    }

    @Override
    public String toString() {
        return location;
    }

    private void createFolders() throws IOException {
        Path config = root.resolve(FileType.CONFIG.folder());
        if (Files.exists(config, LinkOption.NOFOLLOW_LINKS)) {
            throw new FileAlreadyExistsException(config.toString(), null, "a vault already exists here");
        }
        if (!Files.isDirectory(root)) {
            try {
                Files.createDirectories(root, folderAttributes);
            } catch (FileAlreadyExistsException e) {
                throw new NotDirectoryException(root + " is not a folder, so it cannot hold a vault");
            }
            if (root.getParent() != null) {
                syncFolder(root.getParent());
            }
        }
        for (FileType type : FileType.values()) {
            if (type != FileType.CONFIG) {
                createFolder(root.resolve(type.folder()));
            }
        }
        syncFolder(root);
    }

    /** Writes {@code source} to a new temporary file in {@code folder}, flushed to the device; returns its path. */
    private Path writeTemp(Path folder, Source source) throws IOException {
        Path temp = null;
        FileChannel channel = null;
        for (int attempt = 0; channel == null; attempt++) {
            temp = folder.resolve(TEMP_PREFIX + HEX.toHexDigits(ThreadLocalRandom.current().nextLong()));
            try {
                channel = FileChannel.open(temp, Set.<OpenOption>of(StandardOpenOption.CREATE_NEW,
                        StandardOpenOption.WRITE), fileAttributes);
            } catch (NoSuchFileException e) {
                if (attempt > 0) {
                    throw e;
                }
                ensureFolder(folder);
            } catch (FileAlreadyExistsException e) {
                if (attempt > 3) {
                    throw new IOException("found no free temporary name in " + folder, e);
                }
            }
        }
        boolean written = false;
        try (FileChannel out = channel) {
            long count = copy(source, out);
            if (count != source.length()) {
                throw new IOException("the source delivered " + count + " bytes, not the " + source.length()
                        + " it announced");
            }
            out.force(true);
            written = true;
        } finally {
            if (!written) {
                deleteQuietly(temp);
            }
        }
        return temp;
    }

    private static long copy(Source source, FileChannel out) throws IOException {
        ByteBuffer inMemory = source.bufferIfInMemory();
        if (inMemory != null) {
            // in slices: the JDK writes a heap buffer through a per-thread native buffer as large as the write
            ByteBuffer buffer = inMemory.duplicate();
            int end = buffer.limit();
            long count = 0;
            while (buffer.position() < end) {
                buffer.limit(Math.min(end, buffer.position() + IO_SLICE));
                count += out.write(buffer);
            }
            return count;
        }
        long count = 0;
        byte[] chunk = new byte[COPY_BUFFER];
        try (InputStream in = source.open()) {
            for (int n; (n = in.read(chunk)) >= 0; ) {
                ByteBuffer buffer = ByteBuffer.wrap(chunk, 0, n);
                while (buffer.hasRemaining()) {
                    out.write(buffer);
                }
                count += n;
                if (count > source.length()) {
                    break; // longer than announced: stop rather than fill the disk
                }
            }
        }
        return count;
    }

    /** Gives the complete temporary file its real name, never replacing an existing file; removes the temp name. */
    private void publish(Path temp, Path target, Handle handle) throws IOException {
        if (hardLinks) {
            try {
                Files.createLink(target, temp);
                deleteQuietly(temp); // the file is saved; a leftover temp name is harmless and cleaned later
                return;
            } catch (FileAlreadyExistsException e) {
                throw alreadyExists(handle, target);
            } catch (UnsupportedOperationException e) {
                hardLinks = false;
            } catch (FileSystemException e) {
                if (!linksUnsupported(e)) {
                    throw e;
                }
                hardLinks = false;
            }
        }
        synchronized (renameLocks[Math.floorMod(target.hashCode(), LOCK_STRIPES)]) {
            if (Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
                throw alreadyExists(handle, target);
            }
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
        }
    }

    /**
     * Creates a missing type folder or pack shard under the root, but never the root itself: a missing root usually
     * means an unplugged drive, and re-creating it would write the vault to the wrong disk.
     */
    private void ensureFolder(Path folder) throws IOException {
        if (!Files.isDirectory(root)) {
            throw new NoSuchFileException(root.toString(), null, "the vault folder is gone (is the drive connected?)");
        }
        Path parent = folder.getParent();
        if (!parent.equals(root) && !Files.isDirectory(parent)) {
            createFolder(parent);
        }
        createFolder(folder);
    }

    private void createFolder(Path folder) throws IOException {
        try {
            Files.createDirectory(folder, folderAttributes);
            syncFolder(folder.getParent());
        } catch (FileAlreadyExistsException e) {
            if (!Files.isDirectory(folder)) {
                throw new NotDirectoryException(folder + " should be a folder of the vault");
            }
        }
    }

    private void listFiles(Path folder, List<FileInfo> result) throws IOException {
        for (Path entry : entries(folder)) {
            String name = entry.getFileName().toString();
            try {
                BasicFileAttributes attributes = Files.readAttributes(entry, BasicFileAttributes.class);
                if (attributes.isRegularFile()) {
                    result.add(new FileInfo(name, attributes.size()));
                }
            } catch (NoSuchFileException e) {
                // removed while listing
            }
        }
    }

    /** The entries of {@code folder} not starting with {@code '.'}; none if the folder does not exist. */
    private static List<Path> entries(Path folder) throws IOException {
        return entries(folder, p -> !p.getFileName().toString().startsWith("."));
    }

    private static List<Path> entries(Path folder, DirectoryStream.Filter<Path> filter) throws IOException {
        List<Path> entries = new ArrayList<>();
        try (DirectoryStream<Path> stream = Files.newDirectoryStream(folder, filter)) {
            for (Path entry : stream) {
                entries.add(entry);
            }
        } catch (NoSuchFileException e) {
            // a missing folder holds nothing (tools that copy vaults may drop empty folders)
        } catch (DirectoryIteratorException e) {
            throw e.getCause();
        }
        return entries;
    }

    private Path file(Handle handle) {
        String name = handle.name();
        if (name.startsWith(".")) {
            throw new IllegalArgumentException("names starting with '.' are reserved: " + handle);
        }
        return switch (handle.type()) {
            case CONFIG -> {
                if (!name.equals("config")) {
                    throw new IllegalArgumentException("the config file is named \"config\", not \"" + name + "\"");
                }
                yield root.resolve(FileType.CONFIG.folder());
            }
            case PACK -> {
                if (name.length() < 2) {
                    throw new IllegalArgumentException("pack names have at least two characters: " + handle);
                }
                yield root.resolve(FileType.PACK.folder()).resolve(name.substring(0, 2)).resolve(name);
            }
            case KEY, INDEX, SNAPSHOT, LOCK -> root.resolve(handle.type().folder()).resolve(name);
        };
    }

    /**
     * Flushes a folder's entries to the device so a new name survives a power cut. Some platforms (Windows) cannot
     * open a folder and some file systems refuse to flush one; there the file system's own ordering is all we get.
     */
    private static void syncFolder(Path folder) {
        try (FileChannel channel = FileChannel.open(folder, StandardOpenOption.READ)) {
            channel.force(true);
        } catch (IOException e) {
            // not supported here; see above
        }
    }

    private static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            // a leftover temporary file is ignored by list and removed by removeStaleTemporaries
        }
    }

    private static FileAlreadyExistsException alreadyExists(Handle handle, Path target) {
        return new FileAlreadyExistsException(target.toString(), null, handle + " already exists (files are write-once)");
    }

    /** A readable reason: some exceptions carry only a path as their message. */
    private static String describe(IOException e) {
        if (e instanceof AccessDeniedException a) {
            return "permission denied: " + a.getFile();
        }
        if (e instanceof NoSuchFileException n && n.getReason() == null) {
            return "no such file or folder: " + n.getFile();
        }
        return e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
    }

    /** Whether a failed {@link Files#createLink} means the file system has no hard links (FAT, exFAT, SMB, …). */
    private static boolean linksUnsupported(FileSystemException e) {
        if (e instanceof NoSuchFileException || e instanceof AccessDeniedException || e.getReason() == null) {
            return false;
        }
        String reason = e.getReason().toLowerCase(Locale.ROOT);
        return reason.contains("not permitted") // EPERM: Linux on FAT, exFAT
                || reason.contains("not supported") // EOPNOTSUPP: some FUSE and network file systems
                || reason.contains("not implemented") // ENOSYS
                || reason.contains("incorrect function"); // Windows on FAT
    }

    private void ensureOpen() throws IOException {
        if (closed) {
            throw new IOException(location + " is closed");
        }
    }
}
