package io.gpumarket.core.market;

/**
 * One machine as the market metrics see it: its GPUs rented (held by live contracts) and available (free on a listed
 * machine), its listing's price per GPU-hour (null while unlisted), and where it is ({@code "City, CC"}).
 */
public record Supply(
        long machineId,
        String gpuName,
        int machineGpus,
        int rentedGpus,
        int availableGpus,
        Long listedPrice,
        boolean verified,
        boolean datacenter,
        String geolocation) {

    /** The two-letter country code of {@code "City, CC"} (or of a bare code), else null. */
    public String countryCode() {
        String g = geolocation == null ? "" : geolocation.trim();
        int comma = g.lastIndexOf(',');
        String cc = comma >= 0 ? g.substring(comma + 1).trim() : g;
        return cc.length() == 2 && cc.chars().allMatch(Character::isLetter)
                ? cc.toUpperCase(java.util.Locale.ROOT)
                : null;
    }

    /** The city of {@code "City, CC"}, else null. */
    public String city() {
        String g = geolocation == null ? "" : geolocation.trim();
        int comma = g.lastIndexOf(',');
        if (comma > 0) return g.substring(0, comma).trim();
        return countryCode() == null && !g.isEmpty() ? g : null;
    }
}
