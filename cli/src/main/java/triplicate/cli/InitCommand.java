package triplicate.cli;

import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import triplicate.app.VaultService;
import triplicate.chunker.ChunkerParams;
import triplicate.crypto.KdfParams;
import triplicate.crypto.Password;
import triplicate.app.Vault;

@Command(name = "init", description = "Create a new, empty vault.")
final class InitCommand extends BaseCommand {
    @Option(names = "--pack-size", paramLabel = "MiB", description = "Target size of pack files (default 16 MiB).")
    Integer packSizeMiB;

    @Option(names = "--kdf-memory", paramLabel = "MiB", hidden = true,
            description = "Argon2id memory for the key (default 64 MiB). Lower only for tests.")
    Integer kdfMemoryMiB;

    @Option(names = "--kdf-iterations", hidden = true, description = "Argon2id iterations (default 3).")
    Integer kdfIterations;

    @Option(names = "--chunk-sizes", paramLabel = "MIN,AVG,MAX", hidden = true,
            description = "Chunk sizes in KiB (default chosen by measurement; see docs/design/chunk-sizes.md).")
    String chunkSizes;

    @Option(names = "--copy-chunker-params-from", paramLabel = "URI",
            description = "Cut files into chunks exactly as this vault does, so 'copy' between them moves chunks as they are.")
    String chunkerFrom;

    @Option(names = "--from-password-file", paramLabel = "FILE",
            description = "Password of --copy-chunker-params-from. Else $TRIPLICATE_FROM_PASSWORD_FILE, $TRIPLICATE_FROM_PASSWORD, or a prompt.")
    java.nio.file.Path fromPasswordFile;

    @Override
    public Integer call() throws Exception {
        String loc = vaultLocation();
        if (chunkerFrom != null && chunkSizes != null) {
            throw new triplicate.core.TriplicateException("--chunk-sizes and --copy-chunker-params-from exclude each other");
        }
        KdfParams kdf = null;
        if (kdfMemoryMiB != null || kdfIterations != null) {
            KdfParams d = KdfParams.defaults();
            kdf = new KdfParams(d.algorithm(), kdfMemoryMiB != null ? kdfMemoryMiB * 1024 : d.memoryKiB(),
                    kdfIterations != null ? kdfIterations : d.iterations(), d.parallelism());
        }
        ChunkerParams sizes = null;
        if (chunkSizes != null) {
            String[] p = chunkSizes.split(",");
            if (p.length != 3) {
                throw new triplicate.core.TriplicateException("--chunk-sizes wants MIN,AVG,MAX in KiB, e.g. 512,1024,8192");
            }
            sizes = new ChunkerParams(Integer.parseInt(p[0].trim()) * 1024, Integer.parseInt(p[1].trim()) * 1024,
                    Integer.parseInt(p[2].trim()) * 1024, 0);
        }
        var settings = new VaultService.InitSettings(kdf, packSizeMiB == null ? null : packSizeMiB * 1024 * 1024, sizes);
        try (Vault other = chunkerFrom == null ? null : openSourceVault(chunkerFrom, fromPasswordFile);
             Password pw = password("Password for the new vault", true);
             Vault repo = ctx.service().init(loc, pw, settings, other)) {
            if (json) {
                printJson(Map.of("vault", repo.location(), "id", repo.id().hex(),
                        "version", triplicate.app.VaultService.FORMAT_VERSION));
            } else {
                ctx.out().println("created vault " + repo.id().shortHex() + " at " + repo.location());
                ctx.out().println("keep the password safe: without it the backups cannot be read");
            }
        }
        return ExitCodes.OK;
    }
}
