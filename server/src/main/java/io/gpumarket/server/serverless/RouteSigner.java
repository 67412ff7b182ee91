package io.gpumarket.server.serverless;

import io.gpumarket.server.auth.InstanceKeys;
import io.gpumarket.server.auth.SecretBox;
import io.gpumarket.store.Store;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.RSAPublicKeySpec;
import java.util.Base64;
import java.util.HexFormat;

/**
 * Signs routes so a worker can tell a request the server routed to it from anyone else's: the worker library fetches
 * the public key once from {@code GET /pubkey/} and checks each request's {@code auth_data.signature}, an RSA
 * PKCS#1 v1.5 signature with SHA-256 over {@code json.dumps({"url": url}, indent=4, sort_keys=True)} (its
 * {@code Backend.__check_signature}). One key for the market, made at the first start and kept sealed in the store
 * (every replica signs with the same key).
 *
 * <p>Each endpoint's workers are also given a {@code MASTER_TOKEN} derived from the server secret and the endpoint,
 * the token their reports ({@code /worker_status/}, {@code /delete_requests/}) carry.
 */
public final class RouteSigner {
    private static final String PLACE = "serverless route signing key";
    private final PrivateKey privateKey;
    private final PublicKey publicKey;
    private final InstanceKeys keys;

    public RouteSigner(Store store, InstanceKeys keys) {
        this.keys = keys;
        SecretBox box = SecretBox.forEnvVars(keys);
        String sealed = store.repos().serverless().signingKey().orElseGet(() -> {
            try {
                KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
                g.initialize(2048);
                KeyPair pair = g.generateKeyPair();
                String pkcs8 =
                        Base64.getEncoder().encodeToString(pair.getPrivate().getEncoded());
                return store.repos().serverless().keepSigningKey(box.seal(PLACE, pkcs8));
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("cannot make the route signing key", e);
            }
        });
        try {
            KeyFactory rsa = KeyFactory.getInstance("RSA");
            this.privateKey = rsa.generatePrivate(
                    new PKCS8EncodedKeySpec(Base64.getDecoder().decode(box.open(PLACE, sealed))));
            RSAPrivateCrtKey crt = (RSAPrivateCrtKey) privateKey;
            this.publicKey = rsa.generatePublic(new RSAPublicKeySpec(crt.getModulus(), crt.getPublicExponent()));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the stored route signing key does not open", e);
        }
    }

    /** The public key as PEM (SubjectPublicKeyInfo), as {@code Crypto.PublicKey.RSA.import_key} reads it. */
    public String publicPem() {
        String b64 = Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(publicKey.getEncoded());
        return "-----BEGIN PUBLIC KEY-----\n" + b64 + "\n-----END PUBLIC KEY-----\n";
    }

    /** The base64 signature of a route to {@code url}, as the worker library verifies it. */
    public String sign(String url) {
        try {
            Signature s = Signature.getInstance("SHA256withRSA");
            s.initSign(privateKey);
            s.update(signedText(url).getBytes(java.nio.charset.StandardCharsets.UTF_8));
            return Base64.getEncoder().encodeToString(s.sign());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot sign a route", e);
        }
    }

    /** Python's {@code json.dumps({"url": url}, indent=4, sort_keys=True)} (ASCII escapes, as its default). */
    static String signedText(String url) {
        StringBuilder b = new StringBuilder("{\n    \"url\": \"");
        for (char c : url.toCharArray()) {
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                default -> {
                    if (c < 0x20 || c > 0x7e) b.append(String.format("\\u%04x", (int) c));
                    else b.append(c);
                }
            }
        }
        return b.append("\"\n}").toString();
    }

    /** The token an endpoint's workers report with ({@code MASTER_TOKEN}). */
    public String workerToken(long endpointId) {
        return HexFormat.of().formatHex(keys.derivedKey("serverless worker token of endpoint " + endpointId));
    }

    /** The key clients route with ({@code api_key} of the endpoint lists). */
    public String endpointKey(long endpointId) {
        return HexFormat.of().formatHex(keys.derivedKey("serverless route key of endpoint " + endpointId));
    }
}
