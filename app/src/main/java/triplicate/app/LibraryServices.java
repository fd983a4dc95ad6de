package triplicate.app;

import java.time.InstantSource;

/**
 * The use cases over a library and its targets, wired together: one instance per process. The vault side's
 * {@link VaultDrills} is plugged in here, and only here.
 */
public record LibraryServices(TargetService targets, MirrorService mirrors, StatusService status, VerifyService verify,
                              SyncService sync, ArchiveService archive) {
    /**
     * Wires the services over {@code vaults} and {@code catalogs}, with {@code drills} for vault targets (and the
     * drills of archives).
     */
    public static LibraryServices create(InstantSource clock, VaultService vaults, CatalogService catalogs,
                                         VaultOpsService drills) {
        MirrorService mirrors = new MirrorService(clock, catalogs);
        StatusService status = new StatusService(clock, catalogs);
        return new LibraryServices(new TargetService(mirrors), mirrors, status,
                new VerifyService(clock, catalogs, drills, vaults), new SyncService(catalogs, vaults, mirrors, status),
                new ArchiveService(clock, catalogs, vaults, drills));
    }

    /** The system clock; restore drills and heal of vault targets by {@code ops}. */
    public static LibraryServices forThisMachine(VaultService vaults, CatalogService catalogs, VaultOpsService ops) {
        return create(InstantSource.system(), vaults, catalogs, ops);
    }
}
