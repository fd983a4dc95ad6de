package triplicate.backend.s3;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.ContainerCredentialsProvider;
import software.amazon.awssdk.auth.credentials.InstanceProfileCredentialsProvider;
import software.amazon.awssdk.auth.credentials.ProfileCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.profiles.ProfileFile;

/**
 * Where the S3 backend finds its credentials, first match wins, all read from the environment the backend was
 * handed (the process's own in production):
 *
 * <ol>
 *   <li>{@code TRIPLICATE_S3_ACCESS_KEY_ID} + {@code TRIPLICATE_S3_SECRET_ACCESS_KEY} (+ optional
 *       {@code TRIPLICATE_S3_SESSION_TOKEN}): Triplicate's own, so a backup job can use a key other than the one
 *       the AWS CLI uses;</li>
 *   <li>{@code AWS_ACCESS_KEY_ID} + {@code AWS_SECRET_ACCESS_KEY} (+ {@code AWS_SESSION_TOKEN});</li>
 *   <li>the profile named by the location's {@code profile} option, else {@code AWS_PROFILE}, else {@code default},
 *       in {@code AWS_SHARED_CREDENTIALS_FILE} / {@code AWS_CONFIG_FILE} (default {@code ~/.aws/credentials} and
 *       {@code ~/.aws/config});</li>
 *   <li>unless {@code AWS_EC2_METADATA_DISABLED=true}: the container (ECS) and instance (EC2) roles.</li>
 * </ol>
 *
 * <p>Secrets are never shown: {@link #secrets} lists what messages must not contain.
 */
final class S3Credentials {
    private S3Credentials() {
    }

    /** The chain described above. */
    static AwsCredentialsProvider provider(S3Config config, Map<String, String> env) {
        List<AwsCredentialsProvider> chain = new ArrayList<>();
        fromEnv(env, "TRIPLICATE_S3_ACCESS_KEY_ID", "TRIPLICATE_S3_SECRET_ACCESS_KEY", "TRIPLICATE_S3_SESSION_TOKEN")
                .ifPresent(chain::add);
        fromEnv(env, "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN").ifPresent(chain::add);
        Optional<ProfileFile> files = profileFile(env);
        if (files.isPresent()) {
            chain.add(ProfileCredentialsProvider.builder().profileFile(files.get())
                    .profileName(profileName(config.profile(), env)).build());
        }
        if (!"true".equalsIgnoreCase(env.getOrDefault("AWS_EC2_METADATA_DISABLED", "").trim())) {
            chain.add(ContainerCredentialsProvider.builder().build());
            chain.add(InstanceProfileCredentialsProvider.builder().build());
        }
        return new FirstOf(chain);
    }

    /**
     * The first provider that has credentials, remembered for the next calls. Not the SDK's own chain: that one
     * logs each provider, credentials and all, at debug level.
     */
    private static final class FirstOf implements AwsCredentialsProvider {
        private final List<AwsCredentialsProvider> providers;
        private volatile AwsCredentialsProvider last;

        FirstOf(List<AwsCredentialsProvider> providers) {
            this.providers = List.copyOf(providers);
        }

        @Override
        public AwsCredentials resolveCredentials() {
            AwsCredentialsProvider remembered = last;
            if (remembered != null) {
                return remembered.resolveCredentials();
            }
            List<String> tried = new ArrayList<>();
            for (AwsCredentialsProvider p : providers) {
                try {
                    AwsCredentials c = p.resolveCredentials();
                    last = p;
                    return c;
                } catch (RuntimeException e) {
                    tried.add(p.getClass().getSimpleName());
                }
            }
            throw SdkClientException.create("Unable to load credentials from any of the providers in the chain "
                    + tried);
        }

        @Override
        public String toString() {
            return "S3Credentials"; // never the credentials
        }
    }

    /** The secret values the environment holds, which no message may contain. */
    static List<String> secrets(Map<String, String> env) {
        List<String> out = new ArrayList<>();
        for (String name : List.of("TRIPLICATE_S3_ACCESS_KEY_ID", "TRIPLICATE_S3_SECRET_ACCESS_KEY",
                "TRIPLICATE_S3_SESSION_TOKEN", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN")) {
            String v = env.get(name);
            if (v != null && v.length() >= 4) {
                out.add(v);
            }
        }
        return out;
    }

    /** The region of the profile in use, if its files name one. */
    static String profileRegion(String profile, Map<String, String> env) {
        return profileFile(env).flatMap(f -> f.profile(profileName(profile, env)))
                .flatMap(p -> p.property("region")).orElse(null);
    }

    private static String profileName(String fromLocation, Map<String, String> env) {
        if (fromLocation != null && !fromLocation.isBlank()) {
            return fromLocation;
        }
        String p = env.get("AWS_PROFILE");
        return p == null || p.isBlank() ? "default" : p.trim();
    }

    private static Optional<AwsCredentialsProvider> fromEnv(Map<String, String> env, String idName, String secretName,
                                                           String tokenName) {
        String id = env.get(idName);
        String secret = env.get(secretName);
        if (id == null || id.isBlank() || secret == null || secret.isBlank()) {
            return Optional.empty();
        }
        String token = env.get(tokenName);
        return Optional.of(StaticCredentialsProvider.create(token == null || token.isBlank()
                ? AwsBasicCredentials.create(id.trim(), secret.trim())
                : AwsSessionCredentials.create(id.trim(), secret.trim(), token.trim())));
    }

    /** The credentials and config files that exist, as one aggregate; empty if neither does. */
    private static Optional<ProfileFile> profileFile(Map<String, String> env) {
        String home = env.getOrDefault("HOME", System.getProperty("user.home"));
        Path credentials = path(env.get("AWS_SHARED_CREDENTIALS_FILE"), home, "credentials");
        Path config = path(env.get("AWS_CONFIG_FILE"), home, "config");
        ProfileFile.Aggregator all = ProfileFile.aggregator();
        boolean any = false;
        if (credentials != null && Files.isRegularFile(credentials)) {
            all.addFile(ProfileFile.builder().content(credentials).type(ProfileFile.Type.CREDENTIALS).build());
            any = true;
        }
        if (config != null && Files.isRegularFile(config)) {
            all.addFile(ProfileFile.builder().content(config).type(ProfileFile.Type.CONFIGURATION).build());
            any = true;
        }
        return any ? Optional.of(all.build()) : Optional.empty();
    }

    private static Path path(String explicit, String home, String name) {
        if (explicit != null && !explicit.isBlank()) {
            return Path.of(explicit.trim());
        }
        return home == null ? null : Path.of(home, ".aws", name);
    }
}
