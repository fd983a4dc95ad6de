package triplicate.backend.azure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.URI;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Which credential wins, what must match, and that no credential shows in a string. */
class AzureCredentialsTest {
    private static final String KEY = "c2VjcmV0LWtleS1vZi10aGUtcGhvdG9zLWFjY291bnQ=";
    private static final String SIG = "c2VjcmV0LXNpZ25hdHVyZQ%3D%3D";
    private static final String SAS = "sv=2025-01-05&ss=b&srt=co&sp=racwdl&se=2030-01-01T00:00:00Z&sig=" + SIG;
    private final Map<String, String> env = new HashMap<>();
    private final AzureConfig config = AzureConfig.parse(URI.create("azure://photos/vault"), Map.of());

    private AzureCredentials.Credential credential() throws IOException {
        return AzureCredentials.credential(config, env);
    }

    @Test
    void theConnectionStringComesFirstThenTheKeyThenTheSasToken() throws IOException {
        env.put("AZURE_STORAGE_SAS_TOKEN", "?" + SAS);
        assertThat(credential()).isEqualTo(new AzureCredentials.SasToken(SAS, "AZURE_STORAGE_SAS_TOKEN"));
        env.put("AZURE_STORAGE_KEY", KEY);
        assertThat(credential()).isEqualTo(new AzureCredentials.AccountKey("photos", KEY, "AZURE_STORAGE_KEY"));
        env.put("AZURE_STORAGE_CONNECTION_STRING", "BlobEndpoint=https://photos.blob.core.windows.net;"
                + "SharedAccessSignature=" + SAS);
        assertThat(credential()).isEqualTo(new AzureCredentials.SasToken(SAS, "AZURE_STORAGE_CONNECTION_STRING"));
        env.put("AZURE_STORAGE_CONNECTION_STRING", "DefaultEndpointsProtocol=https;AccountName=photos;AccountKey=" + KEY
                + ";EndpointSuffix=core.windows.net");
        assertThat(credential()).isEqualTo(new AzureCredentials.AccountKey("photos", KEY, "AZURE_STORAGE_CONNECTION_STRING"));
        env.put("AZURE_STORAGE_CONNECTION_STRING", "UseDevelopmentStorage=true");
        assertThatThrownBy(this::credential).as("the development account is devstoreaccount1")
                .hasMessageContaining("\"devstoreaccount1\"");
    }

    @Test
    void theAccountMustBeTheLocationsOne() {
        env.put("AZURE_STORAGE_KEY", KEY);
        env.put("AZURE_STORAGE_ACCOUNT", "other");
        assertThatThrownBy(this::credential).hasMessageContaining("\"other\"").hasMessageContaining("\"photos\"")
                .hasMessageNotContaining(KEY);
        env.remove("AZURE_STORAGE_ACCOUNT");
        env.put("AZURE_STORAGE_CONNECTION_STRING", "AccountName=other;AccountKey=" + KEY);
        assertThatThrownBy(this::credential).hasMessageContaining("is for the storage account \"other\"")
                .hasMessageNotContaining(KEY);
        env.put("AZURE_STORAGE_CONNECTION_STRING", "AccountName=photos");
        assertThatThrownBy(this::credential).hasMessageContaining("neither an AccountKey nor a SharedAccessSignature");
    }

    @Test
    void nothingSetIsAClearError() {
        assertThatThrownBy(this::credential).isInstanceOf(IOException.class)
                .hasMessageContaining("no Azure credentials found").hasMessageContaining("azure://photos/vault");
    }

    @Test
    void secretsAreListedAsWrittenAndDecodedAndNeverPrinted() {
        env.put("AZURE_STORAGE_KEY", KEY);
        env.put("AZURE_STORAGE_SAS_TOKEN", SAS);
        env.put("AZURE_STORAGE_CONNECTION_STRING", "AccountName=photos;SharedAccessSignature=sp=r&sig=b3RoZXItc2ln");
        assertThat(AzureCredentials.secrets(env)).contains(KEY, SAS, SIG, "c2VjcmV0LXNpZ25hdHVyZQ==", "b3RoZXItc2ln",
                "sp=r&sig=b3RoZXItc2ln");
        assertThat(new AzureCredentials.AccountKey("photos", KEY, "AZURE_STORAGE_KEY").toString()).doesNotContain(KEY)
                .contains("photos");
        assertThat(new AzureCredentials.SasToken(SAS, "AZURE_STORAGE_SAS_TOKEN").toString()).doesNotContain(SIG);
        assertThat(AzureCredentials.connectionString(env).toString()).doesNotContain("b3RoZXItc2ln");

        env.clear();
        env.put("AZURE_STORAGE_CONNECTION_STRING", "UseDevelopmentStorage=true");
        assertThat(AzureCredentials.secrets(env)).as("Azurite's published key is no secret")
                .doesNotContain(AzureCredentials.DEVELOPMENT_KEY);
    }
}
