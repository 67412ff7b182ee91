package io.gpumarket.core.notify;

import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.Optional;

/**
 * Which URLs a webhook may post to. The server posts from inside the operator's network, so a careless target could
 * reach its own admin or internal addresses (server-side request forgery): by default only http(s) URLs whose host
 * resolves to public addresses are accepted — loopback, private (RFC 1918, fc00::/7), link-local (cloud metadata at
 * 169.254.169.254), carrier-grade NAT, unspecified and multicast are refused. An operator whose receivers live on a
 * private network allows them with {@code --webhooks-allow-private}.
 */
public final class WebhookTarget {
    public static final int MAX_URL = 2048;

    private WebhookTarget() {}

    /** Why {@code url} cannot be a webhook's URL (its form only; addresses are checked by {@link #refusal}). */
    public static Optional<String> malformed(String url) {
        if (url == null || url.isBlank()) return Optional.of("webhook_url is required");
        if (url.length() > MAX_URL) return Optional.of("webhook_url is longer than " + MAX_URL + " characters");
        URI u;
        try {
            u = new URI(url);
        } catch (URISyntaxException e) {
            return Optional.of("webhook_url is not a URL: " + e.getReason());
        }
        String scheme = u.getScheme() == null ? "" : u.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https"))
            return Optional.of("webhook_url must be an http or https URL, got scheme '" + scheme + "'");
        if (u.getHost() == null || u.getHost().isEmpty()) return Optional.of("webhook_url has no host");
        if (u.getUserInfo() != null) return Optional.of("webhook_url must not carry credentials");
        return Optional.empty();
    }

    /** Why a delivery must not go to {@code address}, unless private targets are allowed. */
    public static Optional<String> refusal(InetAddress address, boolean allowPrivate) {
        if (allowPrivate) return Optional.empty();
        if (address.isLoopbackAddress()) return Optional.of("a loopback address");
        if (address.isAnyLocalAddress()) return Optional.of("an unspecified address");
        if (address.isLinkLocalAddress()) return Optional.of("a link-local address");
        if (address.isSiteLocalAddress()) return Optional.of("a private address");
        if (address.isMulticastAddress()) return Optional.of("a multicast address");
        byte[] b = address.getAddress();
        if (b.length == 4 && (b[0] & 0xff) == 100 && (b[1] & 0xc0) == 64)
            return Optional.of("a carrier-grade NAT address");
        if (b.length == 4 && (b[0] & 0xff) == 0) return Optional.of("an address in 0.0.0.0/8");
        if (b.length == 16 && (b[0] & 0xfe) == 0xfc) return Optional.of("a unique-local IPv6 address");
        return Optional.empty();
    }
}
