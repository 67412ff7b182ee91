package io.gpumarket.cli.client;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** A public key as {@code create ssh-key} and {@code update ssh-key} take it: the text or a file holding it. */
public final class SshKeys {
    private SshKeys() {}

    /** The key text, refusing a private key or something that is not an OpenSSH public key (as vastai does). */
    public static String publicKey(String textOrPath) throws IOException {
        String key = textOrPath;
        Path file = Path.of(
                textOrPath.startsWith("~/") ? System.getProperty("user.home") + textOrPath.substring(1) : textOrPath);
        if (textOrPath.length() < 4096 && !textOrPath.contains("\n") && Files.isRegularFile(file))
            key = Files.readString(file);
        key = key.strip();
        if (key.contains("PRIVATE KEY")) {
            throw new Failure(
                    "Error: that is a *private* SSH key; give the public one (the .pub file, one line starting with ssh-).");
        }
        if (!key.toLowerCase().startsWith("ssh") && !key.toLowerCase().startsWith("ecdsa") && !key.startsWith("sk-")) {
            throw new Failure(
                    "Error: that does not look like an SSH public key (it should start with ssh-ed25519, ssh-rsa …): "
                            + key);
        }
        return key;
    }
}
