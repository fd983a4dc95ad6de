package triplicate.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import triplicate.crypto.Password;
import triplicate.app.Vault;

@Command(name = "key", description = "Manage the passwords (key files) that open a vault.",
        subcommands = {KeyCommand.Add.class, KeyCommand.ListKeys.class, KeyCommand.Remove.class, KeyCommand.Passwd.class})
final class KeyCommand implements Runnable {
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    abstract static class NewPasswordCommand extends BaseCommand {
        @Option(names = "--new-password-file", paramLabel = "FILE",
                description = "Read the new password from FILE. Else $TRIPLICATE_NEW_PASSWORD_FILE, $TRIPLICATE_NEW_PASSWORD, or a prompt.")
        Path newPasswordFile;

        Password newPassword() {
            return new Passwords(ctx.env()).get(newPasswordFile, "TRIPLICATE_NEW_PASSWORD", "New password", true);
        }
    }

    @Command(name = "add", description = "Add another password that opens the vault.")
    static final class Add extends NewPasswordCommand {
        @Override
        public Integer call() throws Exception {
            try (Vault repo = openVault(); Password p = newPassword()) {
                String name = repo.addKey(p);
                if (json) {
                    printJson(Map.of("added", name));
                } else {
                    ctx.out().println("added key " + name.substring(0, 8));
                }
            }
            return ExitCodes.OK;
        }
    }

    @Command(name = "list", description = "List the keys of the vault.")
    static final class ListKeys extends BaseCommand {
        @Override
        public Integer call() throws Exception {
            try (Vault repo = openVault()) {
                List<Vault.KeyEntry> keys = repo.keys();
                if (json) {
                    List<Map<String, Object>> rows = new ArrayList<>();
                    for (Vault.KeyEntry k : keys) {
                        Map<String, Object> o = new LinkedHashMap<>();
                        o.put("id", k.id());
                        o.put("current", k.current());
                        o.put("created", k.info().created());
                        o.put("host", k.info().host());
                        o.put("username", k.info().username());
                        o.put("kdf", k.info().kdf());
                        rows.add(o);
                    }
                    printJson(rows);
                } else {
                    ctx.out().printf(" %-8s  %-24s  %-16s  %s%n", "ID", "Created", "Host", "User");
                    for (Vault.KeyEntry k : keys) {
                        ctx.out().printf("%s%-8s  %-24s  %-16s  %s%n", k.current() ? "*" : " ", k.id().substring(0, 8),
                                k.info().created(), k.info().host(), k.info().username());
                    }
                }
            }
            return ExitCodes.OK;
        }
    }

    @Command(name = "remove", description = "Remove a key (not the one in use, which would lock you out).")
    static final class Remove extends BaseCommand {
        @Parameters(paramLabel = "ID", description = "Key id or unique prefix.")
        String id;

        @Override
        public Integer call() throws Exception {
            try (Vault repo = openVault()) {
                String removed = repo.removeKey(id);
                if (json) {
                    printJson(Map.of("removed", removed));
                } else {
                    ctx.out().println("removed key " + removed.substring(0, 8));
                }
            }
            return ExitCodes.OK;
        }
    }

    @Command(name = "passwd", description = "Change the password of the key in use (the data is not re-encrypted).")
    static final class Passwd extends NewPasswordCommand {
        @Override
        public Integer call() throws Exception {
            try (Vault repo = openVault(); Password p = newPassword()) {
                String name = repo.changePassword(p);
                if (json) {
                    printJson(Map.of("key", name));
                } else {
                    ctx.out().println("password changed (new key " + name.substring(0, 8) + ")");
                }
            }
            return ExitCodes.OK;
        }
    }
}
