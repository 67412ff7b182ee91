package io.gpumarket.core.instance;

import io.gpumarket.core.error.DomainException;
import java.util.ArrayList;
import java.util.List;

/**
 * A create-instance request ({@code PUT /asks/{offer}/}, docs/vast-compatibility.md §f.3) that passed its rules. The limits are the
 * endpoint's documented input validation: image ≤ 1024 characters, args + args_str + onstart ≤ 4096, label ≤ 256,
 * env as in {@link Env}. Disk defaults to Vast's 8 GB; we accept from 1 GB (the docs' minimum of 8 is stricter
 * than any client needs) up to what the offer has ({@link #checkFits}), and never more than {@link #MAX_DISK_GB}
 * whatever a machine claims to have.
 *
 * @param diskGb the disk to reserve on the machine, GB
 * @param target the intended status to start with ({@code target_state})
 * @param cancelUnavail whether a lost race is answered 410 instead of 404 (Vast's {@code cancel_unavail}); for a
 *                      bid, also whether one that would not run at once is refused rather than left waiting
 * @param bidDollars    the bid, dollars per hour for the whole instance ({@code price}); null rents on-demand. Its
 *                      limits need the machine, so {@link io.gpumarket.core.bid.BidPrice} judges it when renting
 */
public record RentRequest(
        Launch launch, String label, double diskGb, IntendedStatus target, boolean cancelUnavail, Double bidDollars) {
    public static final double DEFAULT_DISK_GB = 8.0;
    public static final double MIN_DISK_GB = 1.0;
    /**
     * 1 PB: more than any one machine holds, and small enough that its price (at most $1000 per GB-month, see
     * {@code Listings}) stays far inside a {@code long} of micro-dollars in {@code ContractTerms}, so no request
     * can make pricing overflow even on a machine that registered an absurd disk.
     */
    public static final double MAX_DISK_GB = 1_000_000.0;

    public static final int MAX_IMAGE = 1024;
    public static final int MAX_SCRIPT = 4096;
    public static final int MAX_LABEL = 256;
    /** The Jupyter server's port inside the container, published for jupyter runtypes. */
    public static final String JUPYTER_PORT = "8080/tcp";

    /**
     * Applies the rules to the request's fields (already typed by the caller).
     *
     * @param price Vast's bid price ({@code price}): a number makes the instance interruptible, null on-demand
     */
    public static RentRequest of(
            String image,
            Object env,
            String onstart,
            List<String> args,
            String argsStr,
            String runtype,
            String label,
            Double disk,
            String targetState,
            boolean cancelUnavail,
            Object price) {
        return of(image, env, onstart, args, argsStr, runtype, label, disk, targetState, cancelUnavail, price, null);
    }

    /** … with {@code image_login}, Docker login flags for a private registry (at most 1024 characters). */
    public static RentRequest of(
            String image,
            Object env,
            String onstart,
            List<String> args,
            String argsStr,
            String runtype,
            String label,
            Double disk,
            String targetState,
            boolean cancelUnavail,
            Object price,
            String imageLogin) {
        if (imageLogin != null && imageLogin.length() > MAX_IMAGE)
            throw bad("'image_login' is longer than " + MAX_IMAGE + " characters");
        if (price != null && !(price instanceof Number)) {
            throw new DomainException.BadRequest(
                    "invalid_price",
                    "'price' (a bid in dollars per hour for the instance) " + "must be a number, got " + price
                            + "; leave it out (or null) to rent on-demand");
        }
        Double bid = price == null ? null : ((Number) price).doubleValue();
        if (image == null || image.isBlank()) throw bad("'image' is required, e.g. \"pytorch/pytorch:latest\"");
        if (image.length() > MAX_IMAGE) throw bad("'image' is longer than " + MAX_IMAGE + " characters");
        if (image.chars().anyMatch(Character::isWhitespace))
            throw bad("'image' must not contain blanks: '" + image + "'");
        int script = length(onstart)
                + length(argsStr)
                + (args == null
                        ? 0
                        : args.stream().mapToInt(RentRequest::length).sum());
        if (script > MAX_SCRIPT) {
            throw bad("args, args_str and onstart are " + script + " characters together; the limit is " + MAX_SCRIPT);
        }
        if (label != null && label.length() > MAX_LABEL)
            throw bad("'label' is longer than " + MAX_LABEL + " characters");
        double diskGb = disk == null ? DEFAULT_DISK_GB : disk;
        if (!(diskGb >= MIN_DISK_GB) || Double.isInfinite(diskGb)) {
            throw bad("'disk' must be at least " + (int) MIN_DISK_GB + " GB, got " + disk);
        }
        if (diskGb > MAX_DISK_GB) throw bad("'disk' must be at most " + fmt(MAX_DISK_GB) + " GB, got " + fmt(diskGb));
        IntendedStatus target = targetState == null
                ? IntendedStatus.RUNNING
                : IntendedStatus.fromWire(targetState)
                        .orElseThrow(() -> bad("'target_state' must be running or stopped, got '" + targetState + "'"));
        boolean hasArgs = (args != null && !args.isEmpty()) || (argsStr != null && !argsStr.isBlank());
        Runtype.Parsed rt = Runtype.parse(runtype, hasArgs);
        Launch launch =
                new Launch(image.strip(), Env.parse(env), onstart, args, argsStr, rt.kind(), rt.tokens(), imageLogin);
        return new RentRequest(launch, label, diskGb, target, cancelUnavail, bid);
    }

    public boolean bid() {
        return bidDollars != null;
    }

    /** Refuses a disk larger than the offer's share of the machine's disk (a machine's non-finite claim fits nothing). */
    public void checkFits(long offerId, double offerDiskGb) {
        if (!Double.isFinite(offerDiskGb) || diskGb > offerDiskGb + 1e-9) {
            throw bad("'disk' of " + fmt(diskGb) + " GB is more than offer " + offerId + " has (" + fmt(offerDiskGb)
                    + " GB)");
        }
    }

    /** Container ports that need a host port: every {@code -p} of the env, and Jupyter's for jupyter runtypes. */
    public List<String> publishedPorts() {
        List<String> ports = new ArrayList<>(Env.publishedPorts(launch.env()));
        if (launch.runtype() == Runtype.JUPYTER && !ports.contains(JUPYTER_PORT)) ports.add(JUPYTER_PORT);
        return ports;
    }

    private static int length(String s) {
        return s == null ? 0 : s.length();
    }

    private static String fmt(double gb) {
        return gb == Math.rint(gb) && Math.abs(gb) < 1e15 ? String.valueOf((long) gb) : String.valueOf(gb);
    }

    private static DomainException bad(String msg) {
        return new DomainException.BadRequest("invalid_args", msg);
    }
}
