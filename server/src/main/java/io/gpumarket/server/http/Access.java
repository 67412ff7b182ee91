package io.gpumarket.server.http;

/**
 * Who may call a route. The Vast permission categories (docs/vast-compatibility.md §a.5) are listed so each route declares its
 * category in one place; scoped keys are checked against them.
 */
public enum Access {
    /** No key needed (e.g. the GPU name list the vastai CLI fetches at start, without a key). */
    PUBLIC,
    /** Admin keys only: our operator API under /api/v0/admin/. */
    ADMIN,
    /**
     * A machine's agent, with the machine token its host got at registration (never an API key; and a machine
     * token is never an API key anywhere else).
     */
    AGENT,
    INSTANCE_READ,
    INSTANCE_WRITE,
    USER_READ,
    USER_WRITE,
    BILLING_READ,
    BILLING_WRITE,
    MACHINE_READ,
    MACHINE_WRITE,
    MISC,
    TEAM_READ,
    TEAM_WRITE;

    public String category() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    /** Whether this is a Vast permission category (checked against scoped keys' documents). */
    public boolean isCategory() {
        return this != PUBLIC && this != ADMIN && this != AGENT;
    }
}
