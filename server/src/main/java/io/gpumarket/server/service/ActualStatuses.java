package io.gpumarket.server.service;

import io.gpumarket.api.ActualStatus;

/**
 * Between the wire's {@link ActualStatus} ({@code api}) and the rules' and store's
 * {@link io.gpumarket.core.instance.ActualStatus} ({@code core}): the same constants with the same wire strings,
 * kept apart only because neither module may see the other. Mapped by name; {@code ActualStatusesTest} fails when
 * a constant, a wire string or a reportable flag differs.
 */
public final class ActualStatuses {
    private ActualStatuses() {}

    /** The rules' status of a reported one; null stays null. */
    public static io.gpumarket.core.instance.ActualStatus toCore(ActualStatus wire) {
        return wire == null ? null : io.gpumarket.core.instance.ActualStatus.valueOf(wire.name());
    }

    /** The wire's status of a stored or computed one; null stays null. */
    public static ActualStatus toWire(io.gpumarket.core.instance.ActualStatus status) {
        return status == null ? null : ActualStatus.valueOf(status.name());
    }
}
