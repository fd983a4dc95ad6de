package triplicate.snapshot;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import java.util.Map;
import triplicate.core.Id;

/**
 * One entry of a tree. {@code content} lists the data blobs of a file in order; {@code subtree} is the tree blob of a
 * directory; {@code linkTarget} the target of a symlink. Times are nanoseconds since the epoch. {@code inode},
 * {@code device} and {@code ctimeNanos} exist to recognise unchanged files in the next backup (also after a rename);
 * they are not restored. {@code xattrs} maps user extended attribute names to their values.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Node(
        String name,
        NodeType type,
        int mode,
        long mtimeNanos,
        Long ctimeNanos,
        Long inode,
        Long device,
        Integer uid,
        Integer gid,
        long size,
        List<Id> content,
        Id subtree,
        String linkTarget,
        Map<String, byte[]> xattrs) {

    public Node {
        if (name == null || type == null) {
            throw new IllegalArgumentException("a node needs a name and a type");
        }
        content = content == null ? null : List.copyOf(content);
    }

    /** Whether {@code name} is safe to create inside a folder: not empty, no separator, no NUL, not . or ... */
    public static boolean isSafeName(String name) {
        return name != null && !name.isEmpty() && !name.equals(".") && !name.equals("..")
                && name.indexOf('/') < 0 && name.indexOf('\\') < 0 && name.indexOf('\0') < 0;
    }

    public Node withSubtree(Id tree) {
        return new Node(name, type, mode, mtimeNanos, ctimeNanos, inode, device, uid, gid, size, content, tree, linkTarget, xattrs);
    }
}
