package triplicate.policy;

import java.time.Instant;
import java.util.List;

/**
 * What is known of the copies of one asset's files. An asset is held by a target when every one of its files has a
 * good copy there (a RAW without its sidecar is not the photo the photographer keeps).
 *
 * @param asset how reports name the asset (its primary file's path)
 * @param files its files, each with the copies known of it
 */
public record AssetCopies(String asset, List<FileCopies> files) {
    public AssetCopies {
        files = List.copyOf(files);
    }

    /** One file of the asset and its known copies (at most one per target). */
    public record FileCopies(String path, List<KnownCopy> copies) {
        public FileCopies {
            copies = List.copyOf(copies);
        }
    }

    /** The last thing known of a file's copy on {@code target}, and when. */
    public record KnownCopy(String target, CopyState state, Instant at) {
    }
}
