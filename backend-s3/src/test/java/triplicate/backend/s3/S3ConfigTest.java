package triplicate.backend.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The s3:// grammar of docs/backends/s3.md, and where region, endpoint and options come from. */
class S3ConfigTest {
    @TempDir
    Path home;

    private final Map<String, String> env = new HashMap<>();

    private S3Config parse(String location) {
        env.putIfAbsent("HOME", home.toString());
        return S3Config.parse(URI.create(location), env);
    }

    @Test
    void archiveClassesNeedTheAcknowledgement() {
        assertThatThrownBy(() -> parse("s3://bkt?storage-class=glacier"))
                .hasMessageContaining("storage class GLACIER needs a thaw").hasMessageContaining("archive=true")
                .hasMessageContaining("check --read-data").hasMessageContaining("folder listings stay");
        S3Config glacier = parse("s3://bkt?storage-class=glacier&archive=true");
        assertThat(glacier.packStorageClass()).isEqualTo("GLACIER");
        assertThat(glacier.archive()).isTrue();
        S3Config deep = parse("s3://bkt?storage-class=DEEP_ARCHIVE&archive=1");
        assertThat(deep.packStorageClass()).isEqualTo("DEEP_ARCHIVE");
        assertThat(parse("s3://bkt?storage-class=GLACIER_IR").archive()).as("read at once: no acknowledgement").isFalse();
        assertThat(parse("s3://bkt?archive=true").archive()).as("packs moved by a lifecycle rule").isTrue();
    }

    @Test
    void aBareFirstElementIsAnAwsBucket() {
        S3Config c = parse("s3://photo-vault/alice/main");
        assertThat(c.endpoint()).isNull();
        assertThat(c.isAws()).isTrue();
        assertThat(c.bucket()).isEqualTo("photo-vault");
        assertThat(c.prefix()).isEqualTo("alice/main/");
        assertThat(c.region()).isEqualTo("us-east-1");
        assertThat(c.pathStyle()).isFalse();
        assertThat(c.location()).isEqualTo("s3://photo-vault/alice/main");

        S3Config noPrefix = parse("s3://photo-vault");
        assertThat(noPrefix.prefix()).isEmpty();
        assertThat(parse("s3://photo-vault/").prefix()).isEmpty();
        assertThat(parse("s3://photo-vault/a/").prefix()).isEqualTo("a/");
    }

    @Test
    void aFirstElementWithADotOrAPortIsAHost() {
        S3Config b2 = parse("s3://s3.us-west-004.backblazeb2.com/my-photos/vault");
        assertThat(b2.endpoint()).isEqualTo(URI.create("https://s3.us-west-004.backblazeb2.com"));
        assertThat(b2.bucket()).isEqualTo("my-photos");
        assertThat(b2.prefix()).isEqualTo("vault/");
        assertThat(b2.region()).as("read from the host name").isEqualTo("us-west-004");
        assertThat(b2.pathStyle()).isTrue();

        S3Config minio = parse("s3+http://localhost:9000/photos");
        assertThat(minio.endpoint()).isEqualTo(URI.create("http://localhost:9000"));
        assertThat(minio.bucket()).isEqualTo("photos");
        assertThat(minio.prefix()).isEmpty();
        assertThat(minio.region()).isEqualTo("us-east-1");
        assertThat(minio.location()).isEqualTo("s3+http://localhost:9000/photos");

        assertThat(parse("s3://minio/photos").endpoint()).as("no dot, no port: a bucket").isNull();
        assertThat(parse("s3://localhost/photos").endpoint()).isEqualTo(URI.create("https://localhost"));
        assertThat(parse("s3+http://10.0.0.5:9000/b-1/x").endpoint()).isEqualTo(URI.create("http://10.0.0.5:9000"));
        assertThat(parse("s3+http://[::1]:9000/bkt").endpoint()).isEqualTo(URI.create("http://[::1]:9000"));
        assertThat(parse("s3://storage.googleapis.com/my_photos/v").bucket()).isEqualTo("my_photos");
    }

    @Test
    void aBucketWithDotsIsWrittenAfterItsEndpoint() {
        S3Config c = parse("s3://s3.eu-west-1.amazonaws.com/my.photos.bucket/vault");
        assertThat(c.bucket()).isEqualTo("my.photos.bucket");
        assertThat(c.region()).isEqualTo("eu-west-1");
        assertThat(c.pathStyle()).as("virtual hosts would break TLS for dotted names").isTrue();

        assertThatThrownBy(() -> parse("s3://my.photos.bucket/v"))
                .hasMessageContaining("\"my.photos.bucket\" is taken for a host")
                .hasMessageContaining("s3://s3.REGION.amazonaws.com/BUCKET");
        assertThatThrownBy(() -> parse("s3://my.photos"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("no bucket").hasMessageContaining("taken for a host");
    }

    @Test
    void regionsOfWellKnownHosts() {
        assertThat(parse("s3://s3.eu-central-2.wasabisys.com/b-b").region()).isEqualTo("eu-central-2");
        assertThat(parse("s3://s3.wasabisys.com/b-b").region()).isEqualTo("us-east-1");
        assertThat(parse("s3://s3-ap-southeast-2.amazonaws.com/b-b").region()).isEqualTo("ap-southeast-2");
        assertThat(parse("s3://storage.googleapis.com/b-b").region()).isEqualTo("us-east-1");
    }

    @Test
    void regionFromTheOptionThenTheHostThenTheEnvironmentThenTheProfile() throws IOException {
        env.put("AWS_REGION", "eu-north-1");
        assertThat(parse("s3://bkt?region=ca-central-1").region()).isEqualTo("ca-central-1");
        assertThat(parse("s3://s3.us-west-004.backblazeb2.com/bkt").region()).isEqualTo("us-west-004");
        assertThat(parse("s3://bkt").region()).isEqualTo("eu-north-1");
        env.remove("AWS_REGION");
        env.put("AWS_DEFAULT_REGION", "eu-south-1");
        assertThat(parse("s3://bkt").region()).isEqualTo("eu-south-1");
        env.remove("AWS_DEFAULT_REGION");

        Files.createDirectories(home.resolve(".aws"));
        Files.writeString(home.resolve(".aws/config"), "[default]\nregion = sa-east-1\n[profile backup]\nregion = af-south-1\n");
        assertThat(parse("s3://bkt").region()).isEqualTo("sa-east-1");
        assertThat(parse("s3://bkt?profile=backup").region()).isEqualTo("af-south-1");
        env.put("AWS_PROFILE", "backup");
        assertThat(parse("s3://bkt").region()).isEqualTo("af-south-1");
    }

    @Test
    void anEndpointFromTheEnvironmentServesBareBuckets() {
        env.put("AWS_ENDPOINT_URL_S3", "http://127.0.0.1:9000/");
        S3Config c = parse("s3://photos/v");
        assertThat(c.endpoint()).isEqualTo(URI.create("http://127.0.0.1:9000"));
        assertThat(c.pathStyle()).isTrue();
        assertThat(c.bucket()).isEqualTo("photos");
        env.put("AWS_ENDPOINT_URL_S3", "ftp://x");
        assertThatThrownBy(() -> parse("s3://photos/v")).hasMessageContaining("not an http(s) URL");
    }

    @Test
    void options() {
        S3Config c = parse("s3://bkt/p?storage-class=standard_ia&connections=8&part-size=32&multipart-threshold=100"
                + "&conditional-writes=false&path-style=true&profile=work");
        assertThat(c.packStorageClass()).isEqualTo("STANDARD_IA");
        assertThat(c.connections()).isEqualTo(8);
        assertThat(c.partSize()).isEqualTo(32L << 20);
        assertThat(c.multipartThreshold()).isEqualTo(100L << 20);
        assertThat(c.conditionalWrites()).isFalse();
        assertThat(c.pathStyle()).isTrue();
        assertThat(c.profile()).isEqualTo("work");
        assertThat(c.location()).as("options are not part of the location").isEqualTo("s3://bkt/p");

        S3Config d = parse("s3://bkt");
        assertThat(d.packStorageClass()).isNull();
        assertThat(d.connections()).isEqualTo(S3Config.DEFAULT_CONNECTIONS);
        assertThat(d.partSize()).isEqualTo(S3Config.DEFAULT_PART_SIZE);
        assertThat(d.multipartThreshold()).isEqualTo(S3Config.DEFAULT_MULTIPART_THRESHOLD);
        assertThat(d.conditionalWrites()).isTrue();
    }

    @Test
    void badOptionsAreRefusedByName() {
        assertThatThrownBy(() -> parse("s3://bkt?colour=red")).hasMessageContaining("unknown option \"colour\"")
                .hasMessageContaining("storage-class");
        assertThatThrownBy(() -> parse("s3://bkt?connections=0")).hasMessageContaining("connections");
        assertThatThrownBy(() -> parse("s3://bkt?part-size=4")).hasMessageContaining("part-size");
        assertThatThrownBy(() -> parse("s3://bkt?region=EU%20West")).hasMessageContaining("region");
        assertThatThrownBy(() -> parse("s3://bkt?storage-class=DEEP_ARCHIVE")).hasMessageContaining("GLACIER_IR")
                .hasMessageContaining("archive=true").hasMessageContaining("thaw");
        assertThatThrownBy(() -> parse("s3://bkt?path-style=maybe")).hasMessageContaining("true or false");
        assertThatThrownBy(() -> parse("s3://bkt?region=a&region=b")).hasMessageContaining("twice");
    }

    @Test
    void credentialsInTheLocationAreRefusedWithoutBeingEchoed() {
        assertThatThrownBy(() -> parse("s3://AKIAEXAMPLE:hunter2secret@bkt/p"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("AWS_ACCESS_KEY_ID")
                .hasMessageNotContaining("hunter2secret").hasMessageNotContaining("AKIAEXAMPLE");
        assertThatThrownBy(() -> parse("s3://AKIAEXAMPLE:hunter2/secret@host.example/bkt/p"))
                .as("a secret with a slash splits the authority where URI does not see user info")
                .hasMessageContaining("credentials do not belong")
                .hasMessageNotContaining("secret@").hasMessageNotContaining("hunter2").hasMessageNotContaining("AKIAEXAMPLE");
        assertThatThrownBy(() -> parse("s3://bkt/p?secret_key=hunter2secret"))
                .hasMessageContaining("credentials do not belong").hasMessageNotContaining("hunter2secret");
        assertThatThrownBy(() -> parse("s3://bkt/p?access-key=AKIAEXAMPLE"))
                .hasMessageContaining("credentials do not belong").hasMessageNotContaining("AKIAEXAMPLE");
    }

    @Test
    void malformedLocations() {
        assertThatThrownBy(() -> parse("s3:bkt/p")).hasMessageContaining("s3://BUCKET");
        assertThatThrownBy(() -> parse("s3:///p")).hasMessageContaining("s3://BUCKET");
        assertThatThrownBy(() -> parse("s3://Bad_Bucket!x/p")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> parse("s3://ab/p")).hasMessageContaining("not a valid bucket name");
        assertThatThrownBy(() -> parse("s3://host.example/192.168.1.1")).hasMessageContaining("not a valid bucket");
        assertThatThrownBy(() -> parse("s3://bkt/a//b")).hasMessageContaining("empty");
        assertThatThrownBy(() -> parse("s3://bkt/a/../b")).hasMessageContaining("'..'");
        assertThatThrownBy(() -> parse("s3+http://bkt/p")).hasMessageContaining("names no host");
        assertThatThrownBy(() -> parse("s3://bkt/p#x")).hasMessageContaining("fragment");
    }
}
