package io.gpumarket.core.sshkey;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.Test;

class SshPublicKeyTest {
    static String blob(String type) {
        byte[] t = type.getBytes(StandardCharsets.US_ASCII);
        ByteBuffer b = ByteBuffer.allocate(4 + t.length + 4 + 32)
                .putInt(t.length)
                .put(t)
                .putInt(32);
        return Base64.getEncoder().encodeToString(b.array());
    }

    @Test
    void a_public_key_line_is_kept_in_canonical_form() {
        String key = "ssh-ed25519 " + blob("ssh-ed25519");
        assertThat(SshPublicKey.validate(key)).isEqualTo(key);
        assertThat(SshPublicKey.validate("  " + key + "   me@host \n")).isEqualTo(key + " me@host");
        assertThat(SshPublicKey.validate("ecdsa-sha2-nistp256 " + blob("ecdsa-sha2-nistp256")))
                .startsWith("ecdsa-sha2-nistp256 ");
        assertThat(SshPublicKey.validate("sk-ssh-ed25519@openssh.com " + blob("sk-ssh-ed25519@openssh.com")))
                .startsWith("sk-");
    }

    @Test
    void nul_characters_are_stripped_before_anything_else() {
        String key = "ssh-ed25519 " + blob("ssh-ed25519");
        assertThat(SshPublicKey.validate("ssh-\0ed25519 " + blob("ssh-ed25519") + "\0"))
                .isEqualTo(key);
    }

    @Test
    void private_keys_and_malformed_lines_are_refused_with_the_reason() {
        assertThatThrownBy(() ->
                        SshPublicKey.validate("-----BEGIN RSA PRIVATE KEY-----\nMIIE\n-----END RSA PRIVATE KEY-----"))
                .hasMessageContaining("private key");
        assertThatThrownBy(() -> SshPublicKey.validate("ssh-ed448 " + blob("ssh-ed448")))
                .hasMessageContaining("unsupported key type");
        assertThatThrownBy(() -> SshPublicKey.validate("ssh-rsa %%%")).hasMessageContaining("not base64");
        assertThatThrownBy(() -> SshPublicKey.validate("ssh-rsa " + blob("ssh-ed25519")))
                .hasMessageContaining("does not hold");
        assertThatThrownBy(() -> SshPublicKey.validate("ssh-rsa AAAA")).hasMessageContaining("does not hold");
        assertThatThrownBy(() -> SshPublicKey.validate("ssh-ed25519 " + blob("ssh-ed25519") + "\nssh-ed25519 x"))
                .hasMessageContaining("single public key line");
        assertThatThrownBy(() -> SshPublicKey.validate(null)).hasMessageContaining("required");
    }
}
