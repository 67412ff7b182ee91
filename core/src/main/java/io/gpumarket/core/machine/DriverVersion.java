package io.gpumarket.core.machine;

/** Vast compares driver versions as integers of three zero-padded parts: 535.86.05 → 535086005. */
public final class DriverVersion {
    private DriverVersion() {}

    /** -1 when the text is not three dot-separated numbers. */
    public static long toInt(String version) {
        if (version == null) return -1;
        String[] parts = version.trim().split("\\.");
        if (parts.length != 3) return -1;
        long value = 0;
        for (String p : parts) {
            if (p.isEmpty() || p.length() > 3 || !p.chars().allMatch(Character::isDigit)) return -1;
            value = value * 1000 + Integer.parseInt(p);
        }
        return value;
    }
}
