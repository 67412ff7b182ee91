package io.gpumarket.api.host;

/** The answer to a registration: the machine's id and the token its agent authenticates with (shown once). */
public record MachineRegistered(boolean success, long machineId, String machineToken) {}
