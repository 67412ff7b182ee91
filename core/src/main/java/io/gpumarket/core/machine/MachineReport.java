package io.gpumarket.core.machine;

import io.gpumarket.core.error.DomainException;
import java.time.Instant;

/**
 * A renter's report about a machine, filed on an instance they rent or rented there; the host reads it with
 * {@code reports ID}, and {@code num_reports} counts them.
 *
 * @param problem short kind of problem ("GPU not detected", "slow network" …)
 * @param message what happened, may be empty
 */
public record MachineReport(
        long id, long machineId, long instanceId, long reporterId, String problem, String message, Instant createdAt) {
    public static final int PROBLEM_LIMIT = 200;
    public static final int MESSAGE_LIMIT = 4000;

    /** A report from the request's fields, refused (400 {@code invalid_args}) without a problem or when too long. */
    public static MachineReport request(
            long machineId, long instanceId, long reporterId, String problem, String message, Instant now) {
        if (problem == null || problem.isBlank()) throw bad("'problem' is required: say in a few words what is wrong");
        if (problem.length() > PROBLEM_LIMIT) throw bad("'problem' is longer than " + PROBLEM_LIMIT + " characters");
        if (message != null && message.length() > MESSAGE_LIMIT)
            throw bad("'message' is longer than " + MESSAGE_LIMIT + " characters");
        return new MachineReport(
                0, machineId, instanceId, reporterId, problem.strip(), message == null ? "" : message, now);
    }

    private static DomainException bad(String msg) {
        return new DomainException.BadRequest("invalid_args", msg);
    }
}
