package io.gpumarket.core.billing;

/**
 * Money per charge item, in micro-dollars, with Vast's item names: {@code gpu}, {@code disk}, {@code bwu}
 * (upload) and {@code bwd} (download).
 */
public record Charges(long gpu, long disk, long bwu, long bwd) {
    public static final Charges ZERO = new Charges(0, 0, 0, 0);

    public long total() {
        return Math.addExact(Math.addExact(gpu, disk), Math.addExact(bwu, bwd));
    }

    public Charges plus(Charges o) {
        return new Charges(Math.addExact(gpu, o.gpu), Math.addExact(disk, o.disk), Math.addExact(bwu, o.bwu),
                Math.addExact(bwd, o.bwd));
    }

    public Charges minus(Charges o) {
        return new Charges(Math.subtractExact(gpu, o.gpu), Math.subtractExact(disk, o.disk),
                Math.subtractExact(bwu, o.bwu), Math.subtractExact(bwd, o.bwd));
    }

    public boolean isZero() {
        return gpu == 0 && disk == 0 && bwu == 0 && bwd == 0;
    }
}
