package triplicate.app;

import java.io.IOException;
import java.util.List;
import java.util.function.BiConsumer;
import triplicate.core.Id;
import triplicate.crypto.KeyInfo;
import triplicate.crypto.Password;
import triplicate.repository.Repository;
import triplicate.snapshot.Snapshot;

/**
 * An open vault, as the CLI (and later the daemon and the REST API) see it: what it is, its snapshots and its keys.
 * The work on it (backup, restore, check…) goes through {@link VaultService}. Close it when done.
 */
public final class Vault implements AutoCloseable {
    private final Repository repo;

    Vault(Repository repo) {
        this.repo = repo;
    }

    Repository repository() {
        return repo;
    }

    /** Where the vault is (no credentials). */
    public String location() {
        return repo.backend().location();
    }

    /** The vault's random id, fixed at init. */
    public Id id() {
        return repo.config().id();
    }

    /** A snapshot and its id. */
    public record SnapshotEntry(Id id, Snapshot snapshot) {
    }

    /**
     * Every readable snapshot that is not forgotten, oldest first; damaged snapshot files are passed to
     * {@code damaged} (name, reason). Forgotten ones: {@link VaultService#forgottenSnapshots}.
     */
    public List<SnapshotEntry> snapshots(BiConsumer<String, RuntimeException> damaged) throws IOException {
        return repo.listSnapshots(Repository.Selection.LIVE, damaged).stream()
                .map(r -> new SnapshotEntry(r.id(), r.snapshot())).toList();
    }

    /** The vault's format version (1: written before retention; 2: retention's protocol; see 'migrate'). */
    public int formatVersion() {
        return repo.formatVersion();
    }

    /**
     * Resolves {@code latest}, an id or a unique prefix of one. {@code latest} is the latest snapshot of backed-up
     * data: the catalog snapshots saved after each backup of a library (tagged {@code triplicate-catalog}) are
     * bookkeeping, named by their id.
     */
    public Id resolveSnapshot(String spec) throws IOException {
        if ("latest".equals(spec)) {
            return CatalogSnapshots.latestData(repo.listSnapshots(), location());
        }
        return repo.resolveSnapshot(spec);
    }

    /** A key file: its name (its id), what it says about itself, and whether this vault was opened with it. */
    public record KeyEntry(String id, KeyInfo info, boolean current) {
    }

    public List<KeyEntry> keys() throws IOException {
        return repo.listKeys().stream().map(k -> new KeyEntry(k.name(), k.info(), k.current())).toList();
    }

    /** Adds a key for another password; returns its id. */
    public String addKey(Password password) throws IOException {
        return repo.addKey(password);
    }

    /** Removes the key whose id starts with {@code prefix} (never the one in use); returns its id. */
    public String removeKey(String prefix) throws IOException {
        return repo.removeKey(prefix);
    }

    /** Replaces the key in use with one for {@code password}; returns the new key's id. */
    public String changePassword(Password password) throws IOException {
        return repo.changePassword(password);
    }

    @Override
    public void close() throws IOException {
        try {
            repo.close();
        } finally {
            repo.backend().close();
        }
    }
}
