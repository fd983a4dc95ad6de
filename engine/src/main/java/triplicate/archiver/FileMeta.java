package triplicate.archiver;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import triplicate.snapshot.NodeType;

/**
 * What one {@code lstat} says about a path. Uses the "unix" attribute view where the platform has it (Linux, macOS)
 * and falls back to the basic view elsewhere (then inode, device and ctime are unknown).
 */
record FileMeta(NodeType type, int mode, long mtimeNanos, Long ctimeNanos, Long inode, Long device, Integer uid,
                Integer gid, long size) {

    static FileMeta read(Path p) throws IOException {
        try {
            Map<String, Object> a = Files.readAttributes(p, "unix:mode,ino,dev,ctime,uid,gid,size,lastModifiedTime,"
                    + "isDirectory,isRegularFile,isSymbolicLink", LinkOption.NOFOLLOW_LINKS);
            NodeType type = (Boolean) a.get("isRegularFile") ? NodeType.FILE
                    : (Boolean) a.get("isDirectory") ? NodeType.DIR
                    : (Boolean) a.get("isSymbolicLink") ? NodeType.SYMLINK : NodeType.OTHER;
            return new FileMeta(type, ((Integer) a.get("mode")) & 07777, nanos((FileTime) a.get("lastModifiedTime")),
                    nanos((FileTime) a.get("ctime")), (Long) a.get("ino"), (Long) a.get("dev"),
                    (Integer) a.get("uid"), (Integer) a.get("gid"), (Long) a.get("size"));
        } catch (UnsupportedOperationException | IllegalArgumentException e) {
            BasicFileAttributes b = Files.readAttributes(p, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            NodeType type = b.isRegularFile() ? NodeType.FILE : b.isDirectory() ? NodeType.DIR
                    : b.isSymbolicLink() ? NodeType.SYMLINK : NodeType.OTHER;
            return new FileMeta(type, type == NodeType.DIR ? 0755 : 0644, nanos(b.lastModifiedTime()), null, null,
                    null, null, null, b.size());
        }
    }

    static long nanos(FileTime t) {
        return t.to(TimeUnit.NANOSECONDS);
    }

    /** Whether a file still looks the same (size and both times) — used to detect changes during reading. */
    boolean sameContentAs(FileMeta o) {
        return size == o.size && mtimeNanos == o.mtimeNanos && java.util.Objects.equals(ctimeNanos, o.ctimeNanos);
    }
}
