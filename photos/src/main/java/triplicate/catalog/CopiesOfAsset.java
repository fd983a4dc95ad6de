package triplicate.catalog;

import java.util.List;

/**
 * One asset's files with the known copies of each, as {@link Catalog#forEachAsset} hands them out.
 *
 * @param primaryPath the path of the asset's primary file (how reports name the asset)
 * @param files       its files, each with its copies
 */
public record CopiesOfAsset(String primaryPath, List<FileCopies> files) {
    public CopiesOfAsset {
        files = List.copyOf(files);
    }

    /** A file's path and content hash, and its copies by target name. */
    public record FileCopies(String path, String sha256, List<Copy> copies) {
        public FileCopies {
            copies = List.copyOf(copies);
        }
    }
}
