package triplicate.backend.sftp;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import org.apache.sshd.sftp.client.SftpClient;
import org.apache.sshd.sftp.client.SftpClient.Attributes;
import org.apache.sshd.sftp.client.SftpClient.CloseableHandle;
import org.apache.sshd.sftp.client.SftpClient.DirEntry;
import org.apache.sshd.sftp.client.SftpClient.OpenMode;
import org.apache.sshd.sftp.client.extensions.openssh.OpenSSHFsyncExtension;
import org.apache.sshd.sftp.client.impl.AbstractSftpClient;
import org.apache.sshd.sftp.client.impl.SftpInputStreamAsync;
import org.apache.sshd.sftp.client.impl.SftpOutputStreamAsync;
import org.apache.sshd.sftp.common.SftpConstants;
import org.apache.sshd.sftp.common.SftpException;
import triplicate.backend.Backend;
import triplicate.backend.Backends;
import triplicate.backend.BulkInputStream;
import triplicate.backend.FileInfo;
import triplicate.backend.Handle;
import triplicate.backend.Source;
import triplicate.backend.TransientBackendException;
import triplicate.core.FileType;

/**
 * A vault in a folder on an SSH server (a NAS, a Linux box, a hosted storage box), reached over SFTP. The layout is
 * the one {@link triplicate.backend.local.LocalBackend} uses, so a vault can be copied between a local disk and a
 * server with any file tool:
 *
 * <pre>
 * ROOT/config
 * ROOT/keys/NAME
 * ROOT/data/XX/NAME      XX = the first two characters of NAME; created as needed
 * ROOT/index/NAME
 * ROOT/snapshots/NAME
 * ROOT/locks/NAME
 * </pre>
 *
 * <p><b>How a save is made atomic and write-once.</b> The bytes go to a temporary file {@code .tmp-<random>} in the
 * target's folder (opened with create-exclusive), are flushed to the server's disk where the server offers
 * {@code fsync@openssh.com} (OpenSSH does), and the file then gets its real name with the SFTP {@code RENAME} request
 * <em>without</em> the overwrite flag. SFTP defines that rename to fail when the new name exists, and OpenSSH
 * implements it with a hard link followed by the removal of the old name, so an existing file is never replaced, not
 * even by another client saving the same name at the same moment. (The {@code posix-rename@openssh.com} extension is
 * deliberately not used: it replaces existing files.) Where the server's file system has no hard links (FAT, exFAT,
 * some FUSE and network file systems), OpenSSH falls back to checking the name and then renaming; a writer in another
 * process could then, in a window of microseconds, replace a file, but names are content hashes, so the replacement
 * holds the same bytes. Writers in this process are serialised per name, which also covers servers that implement the
 * rename as such a check. If the rename is refused because the name is taken, the save fails with
 * {@link FileAlreadyExistsException}. A save that fails removes its temporary file where the connection still allows;
 * leftovers (after a dropped connection or a crash) are never listed, and are harmless.
 *
 * <p><b>Connections.</b> Up to {@link SftpSettings#connections()} SFTP channels over one SSH session serve requests in
 * parallel (see {@link ChannelPool}). A request that fails because the connection broke (reset, closed, timed out)
 * throws a {@link TransientBackendException}, and the next request connects again: wrap the backend in a
 * {@link triplicate.backend.wrap.RetryingBackend} (Backends does) to ride out a server restart. Missing files are
 * {@link NoSuchFileException}s; a refused host key or login is never retried.
 *
 * <p>Thread-safe.
 */
public final class SftpBackend implements Backend {
    private static final String TEMP_PREFIX = ".tmp-";
    /** Bytes per SFTP read or write request: every server must accept 32 KiB, and requests are pipelined. */
    private static final int REQUEST_SIZE = 32 * 1024;
    private static final int COPY_BUFFER = 1 << 16;
    private static final int LOCK_STRIPES = 64;
    private static final HexFormat HEX = HexFormat.of();

    private final SftpLocation location;
    private final String where;
    private final SftpConnector connector;
    private final ChannelPool pool;
    private final int connections;
    /** Serialises renames per target name, for servers that implement rename as check-then-move. */
    private final Object[] renameLocks = new Object[LOCK_STRIPES];
    private volatile boolean closed;

    private SftpBackend(SftpLocation location, SftpSettings settings) {
        this.location = location;
        this.where = location.toString();
        this.connector = new SftpConnector(location, settings);
        this.connections = settings.connections();
        this.pool = new ChannelPool(connector, settings.connections(), where);
        for (int i = 0; i < LOCK_STRIPES; i++) {
            renameLocks[i] = new Object();
        }
    }

    /**
     * Connects to the vault folder named by {@code uri} ({@code sftp://[user@]host[:port]/path}) and checks that it
     * exists; creates nothing. Settings and credentials come from {@code env} (see {@link SftpSettings}). Fails at
     * once, with a message that says what to do, if the host key is unknown or changed or the login is refused; with
     * {@link NoSuchFileException} if the folder does not exist.
     */
    public static SftpBackend open(URI uri, Map<String, String> env) throws IOException {
        return Backends.prepare(connect(uri, env), SftpBackend::checkRoot);
    }

    /**
     * Connects and creates the folders of a new vault (and the vault folder itself, with its parents, if needed);
     * does not write the config file. Fails with {@link FileAlreadyExistsException} if the folder already holds a
     * vault.
     */
    public static SftpBackend create(URI uri, Map<String, String> env) throws IOException {
        return Backends.prepare(connect(uri, env), SftpBackend::createFolders);
    }

    private static SftpBackend connect(URI uri, Map<String, String> env) throws IOException {
        SftpLocation location = SftpLocation.parse(uri, env);
        SftpSettings settings = SftpSettings.from(location, env);
        return Backends.prepare(new SftpBackend(location, settings), b -> b.pool.connect());
    }

    @Override
    public String location() {
        return where;
    }

    @Override
    public void save(Handle handle, Source source) throws IOException {
        ensureOpen();
        String target = path(handle);
        String folder = parent(target);
        ChannelPool.Channel channel = pool.acquire();
        String temp = null;
        try {
            SftpClient sftp = channel.sftp;
            if (exists(sftp, target)) {
                throw alreadyExists(handle);
            }
            temp = folder + "/" + TEMP_PREFIX + HEX.toHexDigits(ThreadLocalRandom.current().nextLong());
            try (CloseableHandle file = createTemp(sftp, temp, folder)) { // a failure to close is reported unless an earlier one is on its way
                long written = upload(sftp, temp, file, source);
                if (written != source.length()) {
                    throw new SourceFailure("the source delivered " + (written > source.length() ? "more" : written)
                            + " bytes, not the " + source.length() + " it announced", null);
                }
                OpenSSHFsyncExtension fsync = sftp.getExtension(OpenSSHFsyncExtension.class);
                if (fsync != null && fsync.isSupported()) {
                    fsync.fsync(file);
                }
            }
            publish(sftp, temp, target, handle);
            temp = null;
        } catch (FileAlreadyExistsException e) {
            throw e;
        } catch (SourceFailure e) {
            throw new IOException(where + ": cannot save " + handle + ": " + e.getMessage(), e.getCause());
        } catch (IOException | RuntimeException e) {
            throw failure(channel, e, "save", handle);
        } finally {
            try {
                if (temp != null && channel.usable()) {
                    removeQuietly(channel.sftp, temp);
                }
            } finally {
                pool.release(channel);
            }
        }
    }

    @Override
    public InputStream open(Handle handle, long offset, long length) throws IOException {
        if (offset < 0) {
            throw new IllegalArgumentException("negative offset " + offset + " for " + handle);
        }
        ensureOpen();
        String file = path(handle);
        ChannelPool.Channel channel = pool.acquire();
        try {
            CloseableHandle h = channel.sftp.open(file, EnumSet.of(OpenMode.Read));
            long size;
            try {
                size = channel.sftp.stat(h).getSize();
            } catch (IOException | RuntimeException e) {
                closeQuietly(h);
                throw e;
            }
            long end = length < 0 ? size : Math.min(size, offset + Math.min(length, Long.MAX_VALUE - offset));
            if (offset >= end) {
                closeQuietly(h);
                return InputStream.nullInputStream();
            }
            SftpInputStreamAsync in = new SftpInputStreamAsync((AbstractSftpClient) channel.sftp, REQUEST_SIZE, offset,
                    end, file, h, true);
            return new RangeStream(channel, in, end - offset, handle);
        } catch (IOException | RuntimeException e) {
            throw failure(channel, e, "open", handle);
        } finally {
            pool.release(channel);
        }
    }

    @Override
    public FileInfo stat(Handle handle) throws IOException {
        ensureOpen();
        String file = path(handle);
        ChannelPool.Channel channel = pool.acquire();
        Attributes attributes;
        try {
            attributes = channel.sftp.stat(file);
        } catch (IOException | RuntimeException e) {
            throw failure(channel, e, "read the size of", handle);
        } finally {
            pool.release(channel);
        }
        if (attributes.isDirectory()) {
            throw new IOException(where + ": " + handle + " is a folder, not a file");
        }
        return new FileInfo(handle.name(), attributes.getSize());
    }

    @Override
    public List<FileInfo> list(FileType type) throws IOException {
        ensureOpen();
        if (type == FileType.CONFIG) {
            try {
                return List.of(stat(Handle.config()));
            } catch (NoSuchFileException e) {
                return List.of();
            }
        }
        String folder = join(location.path(), type.folder());
        if (type != FileType.PACK) {
            return files(folder, type.folder());
        }
        List<String> shards = new ArrayList<>();
        for (DirEntry entry : entries(folder, type.folder())) {
            if (entry.getAttributes().isDirectory()) {
                shards.add(entry.getFilename());
            }
        }
        if (shards.size() <= 1 || connections == 1) {
            List<FileInfo> result = new ArrayList<>();
            for (String shard : shards) {
                result.addAll(files(folder + "/" + shard, type.folder() + "/" + shard));
            }
            return result;
        }
        // hundreds of shards: list them over all channels at once
        List<FileInfo> result = Collections.synchronizedList(new ArrayList<>());
        try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<?>> tasks = new ArrayList<>();
            int parts = Math.min(connections, shards.size());
            for (int part = 0; part < parts; part++) {
                List<String> mine = new ArrayList<>();
                for (int i = part; i < shards.size(); i += parts) {
                    mine.add(shards.get(i));
                }
                tasks.add(threads.submit(() -> {
                    for (String shard : mine) {
                        result.addAll(files(folder + "/" + shard, type.folder() + "/" + shard));
                    }
                    return null;
                }));
            }
            for (Future<?> task : tasks) {
                task.get();
            }
        } catch (ExecutionException e) {
            if (e.getCause() instanceof IOException io) {
                throw io;
            }
            throw new IOException(where + ": cannot list " + type.folder() + ": " + e.getCause(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while listing " + type.folder());
        }
        return new ArrayList<>(result);
    }

    @Override
    public void remove(Handle handle) throws IOException {
        ensureOpen();
        String file = path(handle);
        ChannelPool.Channel channel = pool.acquire();
        try {
            channel.sftp.remove(file);
        } catch (IOException | RuntimeException e) {
            throw failure(channel, e, "remove", handle);
        } finally {
            pool.release(channel);
        }
    }

    /**
     * Deletes the {@code .tmp-} files of interrupted saves whose modification time (set by the server) is before
     * {@code cutoff}, in the vault's folders and the packs' shard folders.
     */
    @Override
    public int removeStaleTemporaries(java.time.Instant cutoff) throws IOException {
        ensureOpen();
        List<String> folders = new ArrayList<>();
        folders.add(location.path());
        for (FileType type : FileType.values()) {
            if (type == FileType.CONFIG) {
                continue;
            }
            String folder = join(location.path(), type.folder());
            folders.add(folder);
            if (type == FileType.PACK) {
                for (DirEntry entry : entries(folder, type.folder())) {
                    if (entry.getAttributes().isDirectory()) {
                        folders.add(folder + "/" + entry.getFilename());
                    }
                }
            }
        }
        int deleted = 0;
        ChannelPool.Channel channel = pool.acquire();
        try {
            for (String folder : folders) {
                List<String> stale = new ArrayList<>();
                CloseableHandle dir;
                try {
                    dir = channel.sftp.openDir(folder);
                } catch (SftpException e) {
                    if (e.getStatus() == SftpConstants.SSH_FX_NO_SUCH_FILE) {
                        continue;
                    }
                    throw e;
                }
                try (dir) {
                    for (List<DirEntry> batch; (batch = channel.sftp.readDir(dir)) != null; ) {
                        for (DirEntry entry : batch) {
                            var attributes = entry.getAttributes();
                            if (entry.getFilename().startsWith(TEMP_PREFIX) && attributes.isRegularFile()
                                    && attributes.getModifyTime() != null
                                    && attributes.getModifyTime().toInstant().isBefore(cutoff)) {
                                stale.add(folder + "/" + entry.getFilename());
                            }
                        }
                    }
                }
                for (String file : stale) {
                    try {
                        channel.sftp.remove(file);
                        deleted++;
                    } catch (SftpException e) {
                        if (e.getStatus() != SftpConstants.SSH_FX_NO_SUCH_FILE) { // else: removed meanwhile
                            throw e;
                        }
                    }
                }
            }
            return deleted;
        } catch (IOException | RuntimeException e) {
            throw failure(channel, e, "remove the leftovers of interrupted saves in", null);
        } finally {
            pool.release(channel);
        }
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            pool.close();
        } finally {
            connector.close();
        }
    }

    @Override
    public String toString() {
        return where;
    }

    // ---- saving

    /** Creates the temporary file (exclusively), and its folder if that is missing. */
    private CloseableHandle createTemp(SftpClient sftp, String temp, String folder) throws IOException {
        try {
            return sftp.open(temp, EnumSet.of(OpenMode.Write, OpenMode.Create, OpenMode.Exclusive));
        } catch (SftpException e) {
            if (e.getStatus() != SftpConstants.SSH_FX_NO_SUCH_FILE) {
                throw e;
            }
            ensureFolder(sftp, folder);
            return sftp.open(temp, EnumSet.of(OpenMode.Write, OpenMode.Create, OpenMode.Exclusive));
        }
    }

    /** Copies the source into the open temporary file; returns the bytes delivered (stops one past the length). */
    private static long upload(SftpClient sftp, String temp, CloseableHandle file, Source source) throws IOException {
        SftpOutputStreamAsync out = new SftpOutputStreamAsync((AbstractSftpClient) sftp, REQUEST_SIZE, temp, file, false);
        long count;
        try {
            count = copy(source, out);
        } catch (SourceFailure e) {
            try {
                out.close(); // takes in the answers to the writes already sent, so none is left pending
            } catch (IOException | RuntimeException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
        out.close(); // waits for the server to confirm every write
        return count;
    }

    private static long copy(Source source, SftpOutputStreamAsync out) throws IOException {
        long count = 0;
        byte[] inMemory = source.bytesIfInMemory();
        if (inMemory != null) {
            out.write(inMemory, 0, inMemory.length);
            count = inMemory.length;
        } else {
            byte[] chunk = new byte[COPY_BUFFER];
            InputStream in;
            try {
                in = source.open();
            } catch (IOException e) {
                throw new SourceFailure("cannot read the data to save: " + SftpConnector.describe(e), e);
            }
            try (in) {
                while (true) {
                    int n;
                    try {
                        n = in.read(chunk);
                    } catch (IOException e) {
                        throw new SourceFailure("reading the data to save failed: " + SftpConnector.describe(e), e);
                    }
                    if (n < 0) {
                        break;
                    }
                    out.write(chunk, 0, n);
                    count += n;
                    if (count > source.length()) {
                        break; // longer than announced: stop rather than fill the server
                    }
                }
            }
        }
        return count;
    }

    /** Gives the complete temporary file its real name, never replacing an existing file. */
    private void publish(SftpClient sftp, String temp, String target, Handle handle) throws IOException {
        synchronized (renameLocks[Math.floorMod(target.hashCode(), LOCK_STRIPES)]) {
            try {
                sftp.rename(temp, target); // no overwrite flag: refused if the name is taken
            } catch (SftpException e) {
                if (!connectionLost(e) && exists(sftp, target)) {
                    throw alreadyExists(handle);
                }
                throw e;
            }
        }
    }

    /**
     * Creates a missing type folder or pack shard under the root, but never the root itself: a missing root means
     * the vault folder was moved or the share is not mounted, and re-creating it would hide that.
     */
    private void ensureFolder(SftpClient sftp, String folder) throws IOException {
        if (!isDirectory(sftp, location.path())) {
            throw new NoSuchFileException(where, null, "the vault folder is gone (was it moved, or is the share"
                    + " not mounted on the server?)");
        }
        String parent = parent(folder);
        if (!parent.equals(location.path())) {
            makeFolder(sftp, parent);
        }
        makeFolder(sftp, folder);
    }

    private void makeFolder(SftpClient sftp, String folder) throws IOException {
        try {
            sftp.mkdir(folder);
        } catch (SftpException e) {
            if (connectionLost(e) || !isDirectory(sftp, folder)) {
                throw e;
            }
            // made meanwhile by another writer (SFTP v3 reports that as a plain failure)
        }
    }

    private void checkRoot() throws IOException {
        ChannelPool.Channel channel = pool.acquire();
        try {
            Attributes attributes;
            try {
                attributes = channel.sftp.stat(location.path());
            } catch (SftpException e) {
                if (e.getStatus() == SftpConstants.SSH_FX_NO_SUCH_FILE) {
                    throw new NoSuchFileException(where, null, "no vault folder here");
                }
                throw e;
            }
            if (!attributes.isDirectory()) {
                throw new NotDirectoryException(where + " is not a folder, so it cannot be a vault");
            }
        } catch (NoSuchFileException | NotDirectoryException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            throw failure(channel, e, "open the vault folder", null);
        } finally {
            pool.release(channel);
        }
    }

    private void createFolders() throws IOException {
        ChannelPool.Channel channel = pool.acquire();
        try {
            SftpClient sftp = channel.sftp;
            String root = location.path();
            if (exists(sftp, join(root, FileType.CONFIG.folder()))) {
                throw new FileAlreadyExistsException(where, null, "a vault already exists here");
            }
            if (!isDirectory(sftp, root)) {
                if (exists(sftp, root)) {
                    throw new NotDirectoryException(where + " is not a folder, so it cannot hold a vault");
                }
                String prefix = root.startsWith("/") ? "" : null;
                for (String part : root.split("/")) {
                    if (part.isEmpty()) {
                        continue;
                    }
                    prefix = prefix == null ? part : prefix + "/" + part;
                    if (!isDirectory(sftp, prefix)) {
                        makeFolder(sftp, prefix);
                    }
                }
            }
            for (FileType type : FileType.values()) {
                if (type != FileType.CONFIG) {
                    makeFolder(sftp, join(root, type.folder()));
                }
            }
        } catch (FileAlreadyExistsException | NotDirectoryException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            throw failure(channel, e, "create the vault folders", null);
        } finally {
            pool.release(channel);
        }
    }

    // ---- listing

    /** The regular files in {@code folder} not starting with '.'; none if the folder does not exist. */
    private List<FileInfo> files(String folder, String shown) throws IOException {
        List<FileInfo> result = new ArrayList<>();
        for (DirEntry entry : entries(folder, shown)) {
            if (entry.getAttributes().isRegularFile()) {
                result.add(new FileInfo(entry.getFilename(), entry.getAttributes().getSize()));
            }
        }
        return result;
    }

    /** The entries of {@code folder} whose names do not start with '.'; none if the folder does not exist. */
    private List<DirEntry> entries(String folder, String shown) throws IOException {
        ChannelPool.Channel channel = pool.acquire();
        try {
            List<DirEntry> result = new ArrayList<>();
            CloseableHandle dir;
            try {
                dir = channel.sftp.openDir(folder);
            } catch (SftpException e) {
                if (e.getStatus() == SftpConstants.SSH_FX_NO_SUCH_FILE) {
                    return result; // tools that copy vaults may drop empty folders
                }
                throw e;
            }
            try (dir) {
                for (List<DirEntry> batch; (batch = channel.sftp.readDir(dir)) != null; ) {
                    for (DirEntry entry : batch) {
                        if (!entry.getFilename().startsWith(".")) {
                            result.add(entry);
                        }
                    }
                }
            }
            return result;
        } catch (IOException | RuntimeException e) {
            throw failure(channel, e, "list", shown);
        } finally {
            pool.release(channel);
        }
    }

    // ---- reading

    /** Reads a range of one file through its channel, locking the channel only while a read is under way. */
    private final class RangeStream extends BulkInputStream {
        private final ChannelPool.Channel channel;
        private final SftpInputStreamAsync in;
        private final Handle handle;
        private long remaining;
        private boolean closed;

        RangeStream(ChannelPool.Channel channel, SftpInputStreamAsync in, long remaining, Handle handle) {
            this.channel = channel;
            this.in = in;
            this.remaining = remaining;
            this.handle = handle;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            java.util.Objects.checkFromIndexSize(off, len, b.length);
            if (closed) {
                throw new IOException(where + ": the stream of " + handle + " is closed");
            }
            if (remaining == 0) {
                return -1;
            }
            if (len == 0) {
                return 0;
            }
            pool.lock(channel);
            try {
                if (!channel.usable()) {
                    throw new TransientBackendException(where + ": cannot read " + handle
                            + ": the connection to the server was lost");
                }
                int n = in.read(b, off, (int) Math.min(len, remaining));
                if (n > 0) {
                    remaining -= n;
                }
                return n;
            } catch (TransientBackendException e) {
                throw e;
            } catch (IOException | RuntimeException e) {
                throw failure(channel, e, "read", handle);
            } finally {
                pool.release(channel);
            }
        }

        @Override
        public void close() throws IOException {
            if (closed) {
                return;
            }
            closed = true;
            pool.lock(channel);
            try {
                if (channel.usable()) {
                    in.close(); // takes in the answers to read-ahead requests, closes the file handle
                }
            } catch (IOException | RuntimeException e) {
                channel.markBroken(); // its state is unknown; a new channel serves the next request
            } finally {
                pool.release(channel);
            }
        }
    }

    // ---- helpers

    private String path(Handle handle) {
        String name = handle.name();
        if (name.startsWith(".")) {
            throw new IllegalArgumentException("names starting with '.' are reserved: " + handle);
        }
        String root = location.path();
        return switch (handle.type()) {
            case CONFIG -> join(root, FileType.CONFIG.folder());
            case PACK -> {
                if (name.length() < 2) {
                    throw new IllegalArgumentException("pack names have at least two characters: " + handle);
                }
                yield join(root, FileType.PACK.folder() + "/" + name.substring(0, 2) + "/" + name);
            }
            case KEY, INDEX, SNAPSHOT, LOCK -> join(root, handle.type().folder() + "/" + name);
        };
    }

    private static String join(String root, String relative) {
        return root.equals(".") ? relative : root + "/" + relative;
    }

    private static String parent(String path) {
        int slash = path.lastIndexOf('/');
        return slash < 0 ? "." : slash == 0 ? "/" : path.substring(0, slash);
    }

    private static boolean exists(SftpClient sftp, String path) throws IOException {
        try {
            sftp.lstat(path);
            return true;
        } catch (SftpException e) {
            if (e.getStatus() == SftpConstants.SSH_FX_NO_SUCH_FILE) {
                return false;
            }
            throw e;
        }
    }

    private static boolean isDirectory(SftpClient sftp, String path) throws IOException {
        try {
            return sftp.stat(path).isDirectory();
        } catch (SftpException e) {
            if (e.getStatus() == SftpConstants.SSH_FX_NO_SUCH_FILE) {
                return false;
            }
            throw e;
        }
    }

    private static void removeQuietly(SftpClient sftp, String path) {
        try {
            sftp.remove(path);
        } catch (IOException | RuntimeException e) {
            // a leftover temporary file is never listed; it only takes space
        }
    }

    private static void closeQuietly(CloseableHandle handle) {
        try {
            handle.close();
        } catch (IOException | RuntimeException e) {
            // nothing was read through it
        }
    }

    private static boolean connectionLost(SftpException e) {
        return e.getStatus() == SftpConstants.SSH_FX_NO_CONNECTION
                || e.getStatus() == SftpConstants.SSH_FX_CONNECTION_LOST;
    }

    private FileAlreadyExistsException alreadyExists(Handle handle) {
        return new FileAlreadyExistsException(where + ": " + handle, null, "already exists (files are write-once)");
    }

    /**
     * The exception to throw for {@code e}, raised while doing {@code what} to {@code target} on {@code channel}:
     * missing files, refused permissions and full disks as such; a broken connection as a
     * {@link TransientBackendException}, after dropping the channel.
     */
    private IOException failure(ChannelPool.Channel channel, Throwable e, String what, Object target) {
        String file = target == null ? where : where + ": " + target;
        String prefix = where + ": cannot " + what + (target == null ? "" : " " + target) + ": ";
        if (e instanceof SftpException s) {
            return switch (s.getStatus()) {
                case SftpConstants.SSH_FX_NO_SUCH_FILE -> withCause(new NoSuchFileException(file, null, "no such file"), s);
                case SftpConstants.SSH_FX_PERMISSION_DENIED -> withCause(new AccessDeniedException(file, null,
                        "the server denied permission (" + s.getMessage() + ")"), s);
                case SftpConstants.SSH_FX_FILE_ALREADY_EXISTS -> withCause(new FileAlreadyExistsException(file, null,
                        "already exists"), s);
                case SftpConstants.SSH_FX_NO_SPACE_ON_FILESYSTEM, SftpConstants.SSH_FX_QUOTA_EXCEEDED ->
                    new IOException(prefix + "No space left on the server (" + s.getMessage() + ")", s);
                case SftpConstants.SSH_FX_NO_CONNECTION, SftpConstants.SSH_FX_CONNECTION_LOST -> {
                    channel.markBroken();
                    yield new TransientBackendException(prefix + "the connection to the server was lost ("
                            + s.getMessage() + ")", s);
                }
                default -> new IOException(prefix + s.getMessage() + " (SFTP status " + s.getStatus() + ")", s);
            };
        }
        if (e instanceof TransientBackendException || e instanceof SftpLoginException
                || e instanceof FileSystemException) {
            return (IOException) e; // already says what happened (the SFTP client throws none of these itself)
        }
        if (e instanceof InterruptedIOException && !(e instanceof SocketTimeoutException)) {
            channel.markBroken(); // an answer may still be on its way
            return (IOException) e;
        }
        if (e instanceof IOException || !channel.usable()) {
            channel.markBroken();
            return new TransientBackendException(prefix + "the connection to the server was lost ("
                    + SftpConnector.describe(e) + ")", e);
        }
        throw (RuntimeException) e;
    }

    private static IOException withCause(IOException e, Throwable cause) {
        e.initCause(cause);
        return e;
    }

    private void ensureOpen() throws IOException {
        if (closed) {
            throw new IOException(where + " is closed");
        }
    }

    /** A failure of the {@link Source} being saved, not of the server: never retried, never drops the channel. */
    private static final class SourceFailure extends IOException {
        private static final long serialVersionUID = 1L;

        SourceFailure(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
