package io.wharf.server.mirror;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SecretBoxTest {
  @TempDir Path dir;

  @Test
  void aSealedSecretOpensWithTheSameKeyOnlyAndNeverReadsAsItself() throws Exception {
    SecretBox box = SecretBox.open(null, dir.resolve("key"));
    byte[] secret = "{\"bearer\":\"upstream-secret\"}".getBytes(StandardCharsets.UTF_8);
    String a = box.seal(secret);
    String b = box.seal(secret);
    assertThat(a).isNotEqualTo(b).doesNotContain("upstream-secret"); // a fresh nonce per value
    assertThat(new String(Base64.getDecoder().decode(a), StandardCharsets.ISO_8859_1)).doesNotContain("upstream");
    assertThat(box.open(a)).isEqualTo(secret);
    assertThat(SecretBox.open(null, dir.resolve("key")).open(b)).as("the key file is kept").isEqualTo(secret);

    SecretBox other = new SecretBox(new byte[32]);
    assertThatThrownBy(() -> other.open(a)).hasMessageContaining("do not open with this server's mirror secret key");
    byte[] raw = Base64.getDecoder().decode(a);
    raw[raw.length - 1] ^= 1;
    assertThatThrownBy(() -> box.open(Base64.getEncoder().encodeToString(raw)))
        .isInstanceOf(IllegalStateException.class);
  }

  @Test
  void theKeyFileIsReadableByItsOwnerOnlyAndAConfiguredKeyWins() throws Exception {
    SecretBox.open(null, dir.resolve("key"));
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("key")))).isEqualTo("rw-------");
    String configured = Base64.getEncoder().encodeToString(new byte[32]);
    String sealed = SecretBox.open(configured, dir.resolve("unused")).seal(new byte[] {1, 2, 3});
    assertThat(new SecretBox(new byte[32]).open(sealed)).containsExactly(1, 2, 3);
    assertThat(dir.resolve("unused")).doesNotExist();
  }
}
