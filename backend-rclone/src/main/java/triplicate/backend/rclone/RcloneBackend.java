package triplicate.backend.rclone;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.NoSuchFileException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import triplicate.backend.Backend;
import triplicate.backend.Backends;
import triplicate.backend.FileInfo;
import triplicate.backend.Handle;
import triplicate.backend.Source;
import triplicate.core.FileType;

/**
 * A vault on any storage rclone reaches (Google Drive, Dropbox, OneDrive, pCloud, MEGA, an SFTP or WebDAV server, a
 * local folder, …), under a path of an rclone remote. The backend starts its own {@code rclone rcd} (see
 * {@link RcloneProcess}) and calls rclone's remote control API for each operation, so each is one operation of
 * rclone's backend for the service, with rclone's own retries, pacing and login handling. The layout is the one
 * {@link triplicate.backend.local.LocalBackend} and the SFTP backend use, so a vault can be copied between a disk, a
 * server and a cloud drive with {@code rclone copy}:
 *
 * <pre>
 * PATH/config
 * PATH/keys/NAME
 * PATH/data/XX/NAME      XX = the first two characters of NAME (cloud drives list large folders slowly)
 * PATH/index/NAME
 * PATH/snapshots/NAME
 * PATH/locks/NAME
 * </pre>
 *
 * <p><b>How a save is made atomic and write-once.</b> The bytes are uploaded under a temporary name
 * {@code .tmp-<random>} in the target's folder ({@code operations/uploadfile}, which rclone streams to the service and
 * answers only once the service has stored the file). Then, holding a lock for the name, the backend checks that the
 * name is free and moves the temporary file to it ({@code operations/movefile}: a rename or server-side move on every
 * service that has one). A reader therefore never sees a partial file under its real name, even on services where an
 * upload is visible while it runs (a local folder, SFTP). rclone has no "move unless the target exists", so between
 * the check and the move a writer in <em>another</em> process could save the same name; since names are hashes of
 * the content (all but {@code config}, which {@code init} writes once), the file replaced would hold the same bytes. Writers in this process are serialised per name, so of
 * several concurrent saves of one name exactly one succeeds. A failed save deletes its temporary file where it can;
 * leftovers are never listed.
 *
 * <p><b>Errors.</b> A missing file is a {@link NoSuchFileException}; a remote missing from rclone's config, an expired
 * login, a refused permission or a full account fail at once with what to do; the rest (rclone reporting a failure of
 * the service, rclone stopping or hanging) are {@link triplicate.backend.TransientBackendException}s, and the next
 * call starts rclone again if it stopped. Wrap the backend in a {@link triplicate.backend.wrap.RetryingBackend}
 * (Backends does). Thread-safe.
 */
public final class RcloneBackend implements Backend {
    private static final String TEMP_PREFIX = ".tmp-";
    private static final int LOCK_STRIPES = 64;
    private static final Map<String, Object> LIST_OPTIONS = Map.of("filesOnly", true, "noModTime", true,
            "noMimeType", true);

    private final RcloneLocation location;
    private final String where;
    private final RemoteControl rc;
    private final SecureRandom random;
    /** Serialises check-then-move per target name. */
    private final Object[] moveLocks = new Object[LOCK_STRIPES];
    private volatile boolean closed;

    private RcloneBackend(RcloneLocation location, RcloneLauncher launcher, SecureRandom random) {
        this.location = location;
        this.where = location.shown();
        this.random = random;
        this.rc = new RemoteControl(location, launcher, new RcloneFailures(location, launcher), random);
        for (int i = 0; i < LOCK_STRIPES; i++) {
            moveLocks[i] = new Object();
        }
    }

    /**
     * Starts rclone for the vault at {@code uri} ({@code rclone:REMOTE:PATH[?OPTIONS]}, see {@link RcloneLocation})
     * and checks that rclone knows the remote; creates nothing. rclone, its config file and every {@code RCLONE_*}
     * setting come from {@code env} (see {@link RcloneLauncher}).
     */
    public static RcloneBackend open(URI uri, Map<String, String> env) throws IOException {
        RcloneLocation location = RcloneLocation.parse(uri);
        RcloneLauncher launcher;
        try {
            launcher = RcloneLauncher.from(env);
        } catch (IOException e) {
            throw new IOException(location.shown() + ": " + e.getMessage(), e);
        }
        return Backends.prepare(new RcloneBackend(location, launcher, new SecureRandom()), b -> b.rc.process());
    }

    /**
     * As {@link #open}, then creates the vault's folders (and the path itself, or the bucket on bucket-based
     * services); does not write the config file. Fails with {@link FileAlreadyExistsException} if a vault is there.
     */
    public static RcloneBackend create(URI uri, Map<String, String> env) throws IOException {
        return Backends.prepare(open(uri, env), RcloneBackend::createFolders);
    }

    @Override
    public String location() {
        return where;
    }

    @Override
    public int parallelism() {
        return location.connections();
    }

    @Override
    public void save(Handle handle, Source source) throws IOException {
        ensureOpen();
        String target = path(handle);
        String folder = parent(target);
        String tempName = TEMP_PREFIX + HexFormat.of().formatHex(randomBytes(8));
        String temp = join(folder, tempName);
        boolean published = false;
        try {
            rc.upload(folder, tempName, source, handle);
            synchronized (moveLocks[Math.floorMod(target.hashCode(), LOCK_STRIPES)]) {
                if (stored(target, handle) != null) {
                    throw alreadyExists(handle);
                }
                RemoteControl.Reply moved = rc.call("operations/movefile", Map.of(
                        "srcFs", location.remote(), "srcRemote", temp,
                        "dstFs", location.remote(), "dstRemote", target), "save", handle);
                if (!moved.ok()) {
                    throw refused(moved, "save", handle);
                }
                published = true;
            }
        } finally {
            if (!published) {
                removeQuietly(temp);
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
        if (length == 0) {
            stat(handle); // a missing file fails here, even when nothing is to be read
            return InputStream.nullInputStream();
        }
        return rc.read(file, offset, length, handle);
    }

    @Override
    public FileInfo stat(Handle handle) throws IOException {
        ensureOpen();
        JsonNode item = stored(path(handle), handle);
        if (item == null) {
            throw new NoSuchFileException(where + ": " + handle, null, "no such file");
        }
        return new FileInfo(handle.name(), item.path("Size").asLong());
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
        Map<String, Object> options = new LinkedHashMap<>(LIST_OPTIONS);
        boolean packs = type == FileType.PACK;
        if (packs) {
            options.put("recurse", true);
        }
        RemoteControl.Reply reply = rc.call("operations/list", Map.of("fs", location.remote(), "remote",
                type.folder(), "opt", options), "list", type.folder());
        if (!reply.ok()) {
            if (RcloneFailures.notFound(reply.status(), reply.error())) {
                return List.of(); // tools that copy vaults may drop empty folders
            }
            throw refused(reply, "list", type.folder());
        }
        List<FileInfo> result = new ArrayList<>();
        for (JsonNode item : reply.body().path("list")) {
            String name = item.path("Name").asText("");
            if (name.isEmpty() || name.startsWith(".") || item.path("IsDir").asBoolean(false)) {
                continue;
            }
            if (packs && item.path("Path").asText("").split("/", -1).length != 3) {
                continue; // only data/XX/NAME
            }
            result.add(new FileInfo(name, item.path("Size").asLong()));
        }
        return result;
    }

    @Override
    public void remove(Handle handle) throws IOException {
        ensureOpen();
        RemoteControl.Reply reply = rc.call("operations/deletefile", Map.of("fs", location.remote(), "remote",
                path(handle)), "remove", handle);
        if (!reply.ok()) {
            if (RcloneFailures.notFound(reply.status(), reply.error())) {
                throw new NoSuchFileException(where + ": " + handle, null, "no such file");
            }
            throw refused(reply, "remove", handle);
        }
    }

    /**
     * Deletes the {@code .tmp-} files of interrupted saves whose modification time (as the remote reports it) is
     * before {@code cutoff}: in the vault's folder and every type's folder, the packs' shards included.
     */
    @Override
    public int removeStaleTemporaries(java.time.Instant cutoff) throws IOException {
        ensureOpen();
        List<String> stale = new ArrayList<>();
        List<String> folders = new ArrayList<>();
        folders.add("");
        for (FileType type : FileType.values()) {
            if (type != FileType.CONFIG) {
                folders.add(type.folder());
            }
        }
        for (String folder : folders) {
            Map<String, Object> options = new LinkedHashMap<>(Map.of("filesOnly", true, "noMimeType", true));
            if (folder.equals(FileType.PACK.folder())) {
                options.put("recurse", true);
            }
            RemoteControl.Reply reply = rc.call("operations/list", Map.of("fs", location.remote(), "remote", folder,
                    "opt", options), "list", folder.isEmpty() ? "the vault's folder" : folder);
            if (!reply.ok()) {
                if (RcloneFailures.notFound(reply.status(), reply.error())) {
                    continue;
                }
                throw refused(reply, "list", folder);
            }
            for (JsonNode item : reply.body().path("list")) {
                if (!item.path("Name").asText("").startsWith(TEMP_PREFIX)) {
                    continue;
                }
                try {
                    if (java.time.OffsetDateTime.parse(item.path("ModTime").asText()).toInstant().isBefore(cutoff)) {
                        stale.add(item.path("Path").asText());
                    }
                } catch (java.time.format.DateTimeParseException e) {
                    // no usable time: it could be a save under way, so it stays
                }
            }
        }
        int deleted = 0;
        for (String path : stale) {
            RemoteControl.Reply reply = rc.call("operations/deletefile", Map.of("fs", location.remote(), "remote",
                    path), "remove", path);
            if (reply.ok()) {
                deleted++;
            } else if (!RcloneFailures.notFound(reply.status(), reply.error())) {
                throw refused(reply, "remove", path);
            }
        }
        return deleted;
    }

    /** Stops rclone. */
    @Override
    public void close() {
        closed = true;
        rc.close();
    }

    @Override
    public String toString() {
        return where;
    }

    /** The id of the rclone process now running, or -1 (for tests). */
    long rclonePid() {
        return rc.pid();
    }

    /** The password of the rclone process now running (for tests, which check that it is never shown). */
    String rclonePassword() {
        return rc.password();
    }

    // ---- helpers

    /** rclone's description of the file at {@code path}, or null if there is none. */
    private JsonNode stored(String path, Object target) throws IOException {
        RemoteControl.Reply reply = rc.call("operations/stat", Map.of("fs", location.remote(), "remote", path,
                "opt", LIST_OPTIONS), "read the size of", target);
        if (!reply.ok()) {
            if (RcloneFailures.notFound(reply.status(), reply.error())) {
                return null;
            }
            throw refused(reply, "read the size of", target);
        }
        JsonNode item = reply.body().get("item");
        return item == null || item.isNull() ? null : item;
    }

    private void createFolders() throws IOException {
        if (stored(FileType.CONFIG.folder(), "config") != null) {
            throw new FileAlreadyExistsException(where, null, "a vault already exists here");
        }
        List<String> folders = new ArrayList<>();
        folders.add("");
        for (FileType type : FileType.values()) {
            if (type != FileType.CONFIG) {
                folders.add(type.folder());
            }
        }
        for (String folder : folders) {
            RemoteControl.Reply reply = rc.call("operations/mkdir", Map.of("fs", location.remote(), "remote", folder),
                    "create the folder", folder.isEmpty() ? "of the vault" : folder);
            if (!reply.ok()) {
                throw refused(reply, "create the folder", folder.isEmpty() ? "of the vault" : folder);
            }
        }
    }

    private void removeQuietly(String temp) {
        try {
            rc.call("operations/deletefile", Map.of("fs", location.remote(), "remote", temp), "remove", temp);
        } catch (IOException | RuntimeException e) {
            // a leftover temporary file is never listed; it only takes space
        }
    }

    private IOException refused(RemoteControl.Reply reply, String what, Object target) {
        return rc.failures().refused(reply.status(), reply.error(), what, target);
    }

    private FileAlreadyExistsException alreadyExists(Handle handle) {
        return new FileAlreadyExistsException(where + ": " + handle, null, "already exists (files are write-once)");
    }

    private byte[] randomBytes(int n) {
        byte[] b = new byte[n];
        random.nextBytes(b);
        return b;
    }

    private static String path(Handle handle) {
        String name = handle.name();
        if (name.startsWith(".")) {
            throw new IllegalArgumentException("names starting with '.' are reserved: " + handle);
        }
        return switch (handle.type()) {
            case CONFIG -> FileType.CONFIG.folder();
            case PACK -> {
                if (name.length() < 2) {
                    throw new IllegalArgumentException("pack names have at least two characters: " + handle);
                }
                yield FileType.PACK.folder() + "/" + name.substring(0, 2) + "/" + name;
            }
            case KEY, INDEX, SNAPSHOT, LOCK -> handle.type().folder() + "/" + name;
        };
    }

    private static String parent(String path) {
        int slash = path.lastIndexOf('/');
        return slash < 0 ? "" : path.substring(0, slash);
    }

    private static String join(String folder, String name) {
        return folder.isEmpty() ? name : folder + "/" + name;
    }

    private void ensureOpen() throws IOException {
        if (closed) {
            throw new IOException(where + " is closed");
        }
    }
}
