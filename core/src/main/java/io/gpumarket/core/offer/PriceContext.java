package io.gpumarket.core.offer;

import java.util.Set;

/**
 * What an offer's rendered fields depend on besides the offer itself: which price is shown, how much disk the
 * renter wants priced in, the time, and which machines the caller already rents on.
 *
 * @param allocatedStorageGb disk priced into {@code dph_total} (the DSL's {@code allocated_storage})
 * @param nowEpochSeconds    the search time; {@code start_date}, {@code duration} and {@code rentable} read it
 * @param rentedMachineIds   machines where the caller has a contract ({@code rented} is true on their offers)
 */
public record PriceContext(
        PriceType type, double allocatedStorageGb, long nowEpochSeconds, Set<Long> rentedMachineIds) {
    /** Vast's documented default disk when a search does not say ("Default is 8GB"). */
    public static final double DEFAULT_ALLOCATED_STORAGE_GB = 8.0;

    public PriceContext {
        if (type == null) throw new IllegalArgumentException("price type is required");
        if (!(allocatedStorageGb >= 0) || Double.isInfinite(allocatedStorageGb)) {
            throw new IllegalArgumentException(
                    "allocated storage must be a finite number of GB >= 0, got " + allocatedStorageGb);
        }
        rentedMachineIds = rentedMachineIds == null ? Set.of() : Set.copyOf(rentedMachineIds);
    }

    public static PriceContext onDemand(long nowEpochSeconds) {
        return new PriceContext(PriceType.ON_DEMAND, DEFAULT_ALLOCATED_STORAGE_GB, nowEpochSeconds, Set.of());
    }
}
