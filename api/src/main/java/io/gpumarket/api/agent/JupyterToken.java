package io.gpumarket.api.agent;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The token of a Jupyter-launched instance's Jupyter server ({@code jupyter_token} on the instance, {@code JUPYTER_TOKEN}
 * inside it, which Jupyter reads as its token). Derived one way from the instance's own API key, which both the
 * server (from its secret) and the machine's agent (in the desired state) hold, so neither stores another secret and the
 * token reveals nothing of the key. 64 hex characters, as Vast's tokens are.
 */
public final class JupyterToken {
    private JupyterToken() {}

    /** The token for the instance whose own API key is {@code instanceKey}. */
    public static String of(String instanceKey) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256")
                    .digest(("gpumarket jupyter token v1:" + instanceKey).getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(d);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }
}
