package triplicate.archiver;

import java.io.IOException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import triplicate.core.Id;
import triplicate.core.TriplicateException;
import triplicate.repository.Repository;
import triplicate.snapshot.Node;
import triplicate.snapshot.NodeType;
import triplicate.snapshot.Tree;

/**
 * Answers "is this file unchanged since the parent snapshot, and what are its blobs?". First by path (the node at the
 * same place with the same size, mtime, ctime and inode), then — for files that moved, e.g. a renamed shoot folder —
 * by device + inode + size + mtime over the whole parent snapshot (built on first need). A file whose blobs are not
 * all in the index is never reused.
 */
final class ParentIndex {
    private record InodeKey(Long device, long inode, long size, long mtimeNanos) {
    }

    private final Repository repo;
    private final Id rootTree;
    private volatile Map<InodeKey, List<Id>> byInode;

    ParentIndex(Repository repo, Id rootTree) {
        this.repo = repo;
        this.rootTree = rootTree;
    }

    Tree root() {
        return rootTree == null ? null : tree(rootTree);
    }

    /** The parent's tree, or null if it cannot be read (then everything below is simply read again). */
    Tree tree(Id id) {
        try {
            return repo.loadTree(id);
        } catch (IOException | TriplicateException e) {
            return null;
        }
    }

    List<Id> unchanged(FileMeta m, Node old) {
        if (old != null && old.type() == NodeType.FILE && old.size() == m.size() && old.mtimeNanos() == m.mtimeNanos()
                && Objects.equals(old.inode(), m.inode()) && Objects.equals(old.ctimeNanos(), m.ctimeNanos())
                && allIndexed(old.content())) {
            return old.content();
        }
        if (old != null && old.type() == NodeType.FILE && m.inode() != null && m.inode().equals(old.inode())
                && Objects.equals(old.device(), m.device())) {
            // the same file at the same path, and it changed (e.g. edited in place, its mtime put back): it did not
            // move, so the search by inode below, which ignores the ctime, must not call it unchanged
            return null;
        }
        if (rootTree == null || m.inode() == null) {
            return null;
        }
        List<Id> moved = inodes().get(new InodeKey(m.device(), m.inode(), m.size(), m.mtimeNanos()));
        return moved != null && allIndexed(moved) ? moved : null;
    }

    private boolean allIndexed(List<Id> content) {
        if (content == null) {
            return false;
        }
        for (Id id : content) {
            if (!repo.hasBlob(id)) {
                return false;
            }
        }
        return true;
    }

    private Map<InodeKey, List<Id>> inodes() {
        Map<InodeKey, List<Id>> m = byInode;
        if (m == null) {
            synchronized (this) {
                m = byInode;
                if (m == null) {
                    m = build();
                    byInode = m;
                }
            }
        }
        return m;
    }

    private Map<InodeKey, List<Id>> build() {
        Map<InodeKey, List<Id>> m = new HashMap<>();
        Deque<Id> todo = new ArrayDeque<>();
        todo.push(rootTree);
        while (!todo.isEmpty()) {
            Tree t = tree(todo.pop());
            if (t == null) {
                continue;
            }
            for (Node n : t.nodes()) {
                if (n.type() == NodeType.DIR && n.subtree() != null) {
                    todo.push(n.subtree());
                } else if (n.type() == NodeType.FILE && n.inode() != null && n.content() != null) {
                    m.putIfAbsent(new InodeKey(n.device(), n.inode(), n.size(), n.mtimeNanos()), n.content());
                }
            }
        }
        return m;
    }
}
