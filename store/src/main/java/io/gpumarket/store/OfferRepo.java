package io.gpumarket.store;

import io.gpumarket.core.offer.OfferSlot;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Offer ids are single-use: renting consumes one, and what remains is offered again under new ids. */
public interface OfferRepo {
    /**
     * Retires every active offer of the machine and creates one per bundle size (in the given order), with
     * fresh ids greater than any offer id ever issued. One transaction (the caller's, inside
     * {@link Store#inTransaction}): the machine never shows half the old set and half the new.
     */
    List<OfferSlot> replace(long machineId, List<Integer> bundleSizes, Instant now);

    /** Retires one active offer (when it is rented). False when it was not active: someone else got it. */
    boolean consume(long offerId, Instant now);

    /** The offer, while it is active (not yet rented or replaced). */
    Optional<OfferSlot> findActive(long offerId);

    /** All active offers, by machine id and then offer id. */
    List<OfferSlot> active();

    /** The machine's active offers, in id order. */
    List<OfferSlot> activeFor(long machineId);
}
