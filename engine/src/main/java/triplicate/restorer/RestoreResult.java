package triplicate.restorer;

import java.util.List;

/**
 * What a restore did. {@code problems} lists paths that could not be restored (damaged data, unsafe names, write
 * errors); an empty list means every selected file was restored byte-identical.
 */
public record RestoreResult(long files, long bytes, long filesAlreadyIntact, long dirs, long symlinks,
                            List<Problem> problems) {
    public record Problem(String path, String message) {
    }

    public boolean complete() {
        return problems.isEmpty();
    }
}
