package io.gpumarket.core.sshkey;

import java.time.Instant;

/**
 * One of an account's SSH public keys. Every live key of the owner is allowed into each of the owner's
 * instances; deleting is soft ({@code deletedAt}), as Vast shows it.
 */
public record SshKey(long id, long userId, String publicKey, Instant createdAt, Instant deletedAt) {}
