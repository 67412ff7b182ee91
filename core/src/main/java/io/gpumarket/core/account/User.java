package io.gpumarket.core.account;

import java.time.Instant;

/** An account. Renters and hosts are the same kind of account; {@code admin} accounts may use the admin API. */
public record User(long id, String email, String username, boolean admin, String sshKey, Instant createdAt) {}
