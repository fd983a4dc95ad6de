package triplicate.backend.azure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The azure:// grammar of docs/backends/azure.md, and where the endpoint and the options come from. */
class AzureConfigTest {
    private final Map<String, String> env = new HashMap<>();

    private AzureConfig parse(String location) {
        return AzureConfig.parse(URI.create(location), env);
    }

    @Test
    void aBareFirstElementIsAnAccountInThePublicCloud() {
        AzureConfig c = parse("azure://photos/vault/alice/main");
        assertThat(c.endpoint()).isEqualTo(URI.create("https://photos.blob.core.windows.net"));
        assertThat(c.account()).isEqualTo("photos");
        assertThat(c.container()).isEqualTo("vault");
        assertThat(c.prefix()).isEqualTo("alice/main/");
        assertThat(c.location()).isEqualTo("azure://photos/vault/alice/main");
        assertThat(c.containerUrl()).isEqualTo("https://photos.blob.core.windows.net/vault");
        assertThat(c.endpointName()).isEqualTo("https://photos.blob.core.windows.net");

        assertThat(parse("azure://photos/vault").prefix()).isEmpty();
        assertThat(parse("azure://photos/vault/").prefix()).isEmpty();
        assertThat(parse("azure://photos/vault/a/").prefix()).isEqualTo("a/");
        assertThat(c.packTier()).isNull();
        assertThat(c.connections()).isEqualTo(AzureConfig.DEFAULT_CONNECTIONS);
        assertThat(c.blockSize()).isEqualTo(AzureConfig.DEFAULT_BLOCK_SIZE);
        assertThat(c.blockThreshold()).isEqualTo(AzureConfig.DEFAULT_BLOCK_THRESHOLD);
    }

    @Test
    void aHostWithAPortAnIpOrNoDotCarriesTheAccountInItsPath() {
        AzureConfig azurite = parse("azure+http://127.0.0.1:10000/devstoreaccount1/photos/vault");
        assertThat(azurite.endpoint()).isEqualTo(URI.create("http://127.0.0.1:10000/devstoreaccount1"));
        assertThat(azurite.account()).isEqualTo("devstoreaccount1");
        assertThat(azurite.container()).isEqualTo("photos");
        assertThat(azurite.prefix()).isEqualTo("vault/");
        assertThat(azurite.location()).isEqualTo("azure+http://127.0.0.1:10000/devstoreaccount1/photos/vault");
        assertThat(azurite.endpointName()).isEqualTo("http://127.0.0.1:10000");

        AzureConfig compose = parse("azure+http://azurite:10000/devstoreaccount1/photos");
        assertThat(compose.endpoint()).isEqualTo(URI.create("http://azurite:10000/devstoreaccount1"));
        assertThat(parse("azure+http://localhost/devstoreaccount1/photos").endpoint())
                .as("the SDK reads the account from the path only when the URL has a port: one is added")
                .isEqualTo(URI.create("http://localhost:80/devstoreaccount1"));
        assertThat(parse("azure://[::1]:10000/devstoreaccount1/photos").endpoint())
                .isEqualTo(URI.create("https://[::1]:10000/devstoreaccount1"));
        assertThatThrownBy(() -> parse("azure+http://127.0.0.1:10000")).hasMessageContaining("no account");
        assertThatThrownBy(() -> parse("azure+http://127.0.0.1:10000/devstoreaccount1"))
                .hasMessageContaining("no container");
    }

    @Test
    void aDottedHostWithoutAPortNamesTheAccountInItsFirstLabel() {
        AzureConfig china = parse("azure://photos.blob.core.chinacloudapi.cn/vault/alice");
        assertThat(china.endpoint()).isEqualTo(URI.create("https://photos.blob.core.chinacloudapi.cn"));
        assertThat(china.account()).isEqualTo("photos");
        assertThat(china.container()).isEqualTo("vault");
        assertThat(china.prefix()).isEqualTo("alice/");
        assertThat(china.location()).isEqualTo("azure://photos.blob.core.chinacloudapi.cn/vault/alice");
        assertThatThrownBy(() -> parse("azure://my-photos.example.com/vault"))
                .hasMessageContaining("not a valid storage account name").hasMessageContaining("taken for a host");
    }

    @Test
    void azureHttpNeedsAHost() {
        assertThatThrownBy(() -> parse("azure+http://photos/vault")).hasMessageContaining("names no host");
    }

    @Test
    void theConnectionStringSaysWhereTheBareFormGoes() {
        env.put("AZURE_STORAGE_CONNECTION_STRING", "DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;"
                + "AccountKey=abcd;BlobEndpoint=http://127.0.0.1:10000/devstoreaccount1/;");
        assertThat(parse("azure://devstoreaccount1/photos").endpoint())
                .isEqualTo(URI.create("http://127.0.0.1:10000/devstoreaccount1"));
        assertThat(parse("azure://devstoreaccount1/photos").location()).isEqualTo("azure://devstoreaccount1/photos");

        env.put("AZURE_STORAGE_CONNECTION_STRING", "UseDevelopmentStorage=true");
        assertThat(parse("azure://devstoreaccount1/photos").endpoint())
                .isEqualTo(URI.create("http://127.0.0.1:10000/devstoreaccount1"));

        env.put("AZURE_STORAGE_CONNECTION_STRING", "DefaultEndpointsProtocol=https;AccountName=photos;AccountKey=abcd;"
                + "EndpointSuffix=core.usgovcloudapi.net");
        assertThat(parse("azure://photos/vault").endpoint()).isEqualTo(URI.create("https://photos.blob.core.usgovcloudapi.net"));

        env.put("AZURE_STORAGE_CONNECTION_STRING", "this is not one");
        assertThatThrownBy(() -> parse("azure://photos/vault")).hasMessageContaining("is not a connection string")
                .hasMessageNotContaining("this is not one");
    }

    @Test
    void namesAreChecked() {
        assertThatThrownBy(() -> parse("azure://Photos/vault")).hasMessageContaining("not a valid storage account name");
        assertThatThrownBy(() -> parse("azure://ab/vault")).hasMessageContaining("not a valid storage account name");
        assertThatThrownBy(() -> parse("azure://photos")).hasMessageContaining("no container");
        assertThatThrownBy(() -> parse("azure://photos/Vault")).hasMessageContaining("not a valid container name");
        assertThatThrownBy(() -> parse("azure://photos/a--b")).hasMessageContaining("not a valid container name");
        assertThatThrownBy(() -> parse("azure://photos/-ab")).hasMessageContaining("not a valid container name");
        assertThatThrownBy(() -> parse("azure://photos/ab-")).hasMessageContaining("not a valid container name");
        assertThat(parse("azure://photos/a-b-c1").container()).isEqualTo("a-b-c1");
        assertThatThrownBy(() -> parse("azure://photos/vault/a//b")).hasMessageContaining("empty");
        assertThatThrownBy(() -> parse("azure://photos/vault/../b")).hasMessageContaining("'..'");
        assertThatThrownBy(() -> parse("s3://photos/vault")).hasMessageContaining("not an azure location");
        assertThatThrownBy(() -> parse("azure://photos/vault#x")).hasMessageContaining("fragment");
    }

    @Test
    void options() {
        AzureConfig c = parse("azure://photos/vault?access-tier=cold&connections=8&block-size=8&block_threshold=32");
        assertThat(c.packTier()).isEqualTo("Cold");
        assertThat(c.connections()).isEqualTo(8);
        assertThat(c.blockSize()).isEqualTo(8 * AzureConfig.MIB);
        assertThat(c.blockThreshold()).isEqualTo(32 * AzureConfig.MIB);
        assertThat(c.location()).as("options are not part of the location shown").isEqualTo("azure://photos/vault");
        assertThat(parse("azure://photos/vault?access-tier=Cool").packTier()).isEqualTo("Cool");
        assertThat(parse("azure://photos/vault?access-tier=HOT").packTier()).isEqualTo("Hot");

        assertThatThrownBy(() -> parse("azure://photos/vault?access-tier=archive"))
                .hasMessageContaining("rehydrating").hasMessageContaining("lifecycle management");
        assertThatThrownBy(() -> parse("azure://photos/vault?access-tier=premium")).hasMessageContaining("Hot, Cool or Cold");
        assertThatThrownBy(() -> parse("azure://photos/vault?connections=0")).hasMessageContaining("1 to 64");
        assertThatThrownBy(() -> parse("azure://photos/vault?block-size=2000")).hasMessageContaining("(MiB)");
        assertThatThrownBy(() -> parse("azure://photos/vault?colour=blue")).hasMessageContaining("unknown option \"colour\"")
                .hasMessageContaining("access-tier");
        assertThatThrownBy(() -> parse("azure://photos/vault?connections=2&connections=3")).hasMessageContaining("twice");
    }

    @Test
    void credentialsInTheLocationAreRefusedWithoutEchoingThem() {
        String sas = "sv=2025-01-05&ss=b&srt=co&sp=racwdl&se=2030-01-01T00:00:00Z&sig=c2VjcmV0LXNpZ25hdHVyZQ%3D%3D";
        assertThatThrownBy(() -> parse("azure://photos/vault?" + sas))
                .hasMessageContaining("credentials do not belong in the location").hasMessageContaining("AZURE_STORAGE_SAS_TOKEN")
                .hasMessageNotContaining("c2VjcmV0LXNpZ25hdHVyZQ").hasMessageNotContaining("2030");
        assertThatThrownBy(() -> parse("azure://photos/vault?account-key=c2VjcmV0"))
                .hasMessageContaining("credentials do not belong").hasMessageNotContaining("c2VjcmV0");
        assertThatThrownBy(() -> parse("azure+http://devstoreaccount1:c2VjcmV0@127.0.0.1:10000/devstoreaccount1/v"))
                .hasMessageContaining("credentials do not belong").hasMessageNotContaining("c2VjcmV0");
    }
}
