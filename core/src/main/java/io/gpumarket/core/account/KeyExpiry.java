package io.gpumarket.core.account;

import io.gpumarket.core.error.DomainException;
import java.time.Duration;
import java.time.Instant;

/**
 * When a new API key stops working (our extension: Vast keys never expire). A key is given either an absolute
 * {@code expires_at} (epoch seconds) or a {@code ttl_seconds} from now, or neither. A key never outlives the key
 * that creates it: without either it inherits the creator's expiry, and asking for a later one is refused, as
 * a scoped key may not grant more than it holds, in time as in routes.
 */
public final class KeyExpiry {
    /** Ten years: long enough for anything, short enough that the instant stays far from overflow. */
    public static final Duration MAX_TTL = Duration.ofDays(3650);

    private KeyExpiry() {}

    /**
     * @param expiresAt      the request's expires_at, epoch seconds; null when absent
     * @param ttlSeconds     the request's ttl_seconds; null when absent
     * @param creatorExpiry  when the calling key expires; null when it does not
     * @return the new key's expiry, null for none
     */
    public static Instant resolve(Double expiresAt, Double ttlSeconds, Instant creatorExpiry, Instant now) {
        if (expiresAt != null && ttlSeconds != null) throw bad("give expires_at or ttl_seconds, not both");
        Instant at = null;
        if (ttlSeconds != null) {
            if (!(ttlSeconds >= 1) || ttlSeconds > MAX_TTL.toSeconds() || ttlSeconds != Math.rint(ttlSeconds)) {
                throw bad("ttl_seconds must be a whole number of seconds from 1 to " + MAX_TTL.toSeconds() + ", got "
                        + ttlSeconds);
            }
            at = now.plusSeconds(ttlSeconds.longValue());
        } else if (expiresAt != null) {
            if (!Double.isFinite(expiresAt) || expiresAt <= now.getEpochSecond()) {
                throw bad("expires_at must be a time in the future (epoch seconds); it is " + now.getEpochSecond()
                        + " now, got " + expiresAt);
            }
            if (expiresAt > now.plus(MAX_TTL).getEpochSecond()) {
                throw bad("expires_at is more than " + MAX_TTL.toDays() + " days away: " + expiresAt);
            }
            at = Instant.ofEpochMilli(Math.round(expiresAt * 1000));
        }
        if (at == null) return creatorExpiry;
        if (creatorExpiry != null && at.isAfter(creatorExpiry)) {
            throw bad("a key cannot outlive the key that creates it, which expires at " + creatorExpiry.getEpochSecond()
                    + " (epoch seconds)");
        }
        return at;
    }

    private static DomainException bad(String msg) {
        return new DomainException.BadRequest("invalid_args", msg);
    }
}
