package io.gpumarket.api.agent;

/**
 * A renter's request for an instance's logs: the last {@code tail} lines (0 = all) that contain {@code filter}
 * (null = every line), uploaded by the agent under {@code token}.
 */
public record LogRequest(String token, int tail, String filter) {}
