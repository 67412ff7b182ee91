package io.gpumarket.bench;

import io.gpumarket.core.catalog.GpuCatalog;
import io.gpumarket.core.catalog.GpuModel;
import io.gpumarket.core.machine.Listing;
import io.gpumarket.core.machine.Machine;
import io.gpumarket.core.machine.MachineSpec;
import io.gpumarket.core.machine.Verification;
import io.gpumarket.core.money.Money;
import io.gpumarket.core.offer.Bundles;
import io.gpumarket.core.offer.OfferSlot;
import io.gpumarket.core.search.OfferIndex;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * A deterministic market for benchmarks: the same seed and size give the same machines, listings and offer ids
 * on every run and every machine, so figures from different runs describe the same data ({@link StrictMath},
 * not {@code Math}, whose results may differ in the last bit between JVMs).
 *
 * <p>Hosts own fleets of one to a dozen machines in one place (a hobbyist's rig, a small datacenter), which is
 * what makes a country or datacenter filter select whole groups. Machine ids run 1..N in generation order and
 * hosts 1..H; offer ids are sequential from 1 in machine order, the bundles of each machine as
 * {@link Bundles#sizes} lists them: what a fresh store assigns when the market is loaded in the same order
 * ({@link StoreLoader}).
 *
 * @param hosts number of hosts; machine host ids are 1..hosts
 */
public record SyntheticMarket(List<Machine> machines, List<OfferSlot> slots, int hosts, long now) {
    /** The fixed "now" of benchmark runs (2025-06-15T15:06:40Z): end dates and {@code rentable} are relative to it. */
    public static final long NOW = 1_750_000_000L;

    public static final long DEFAULT_SEED = 20_250_615L;
    private static final long DAY = 86_400;

    private static final String[] CPUS = {
        "AMD EPYC 7543 32-Core Processor",
        "AMD EPYC 7763 64-Core Processor",
        "AMD EPYC 9354 32-Core Processor",
        "Intel Xeon Gold 6248R",
        "Intel Xeon Platinum 8480+",
        "AMD Ryzen 9 7950X 16-Core Processor",
        "AMD Ryzen 9 5950X 16-Core Processor",
        "Intel Core i9-13900K",
        "AMD Ryzen Threadripper PRO 5975WX"
    };
    private static final String[] DISKS = {
        "Samsung SSD 990 PRO 2TB",
        "WD_BLACK SN850X 4TB",
        "Micron 7450 7.68TB",
        "Samsung PM9A3 3.84TB",
        "Kingston KC3000 2TB"
    };
    private static final String[] BOARDS = {
        "ROMED8-2T", "WRX80E-SAGE SE WIFI", "X570 AORUS MASTER", "MZ73-LM0", "PRO WS W790-ACE", "H12SSL-i"
    };
    private static final String[] OS = {"Ubuntu 22.04.4 LTS", "Ubuntu 24.04.1 LTS", "Ubuntu 20.04.6 LTS"};
    /** CUDA versions hosts report, with the driver that brings each; newer ones are commoner. */
    private record Cuda(double version, String driver, double share) {}

    private static final Weighted<Cuda> CUDA = new Weighted<>(
            List.of(
                    new Cuda(11.8, "520.61.05", 1),
                    new Cuda(12.0, "525.147.05", 2),
                    new Cuda(12.2, "535.183.01", 2),
                    new Cuda(12.4, "550.127.05", 3),
                    new Cuda(12.6, "560.35.03", 3),
                    new Cuda(12.8, "570.86.10", 3)),
            Cuda::share);
    private static final int[] PORT_RANGES = {20, 50, 100, 200, 500, 1000};
    private static final double[] DISCOUNTS = {0, 0, 0.1, 0.2, 0.25, 0.3};

    public SyntheticMarket {
        machines = List.copyOf(machines);
        slots = List.copyOf(slots);
    }

    public static SyntheticMarket generate(int machines) {
        return generate(DEFAULT_SEED, machines, NOW);
    }

    public static SyntheticMarket generate(long seed, int count, long now) {
        GpuCatalog catalog = GpuCatalog.load();
        Random r = new Random(seed);
        List<Machine> machines = new ArrayList<>(count);
        List<OfferSlot> slots = new ArrayList<>(count * 3);
        int host = 0;
        while (machines.size() < count) {
            host++;
            Fleet fleet = Fleet.pick(r);
            for (int k = 0; k < fleet.size && machines.size() < count; k++) {
                GpuMix gpu = r.nextInt(5) == 0 ? GpuMix.PICK.pick(r) : fleet.gpu;
                Machine m = machine(r, catalog.model(gpu.name()), gpu, machines.size() + 1L, host, fleet, now);
                machines.add(m);
                for (int n : Bundles.sizes(m.freeGpus(), m.listing().minChunk())) {
                    slots.add(new OfferSlot(slots.size() + 1L, m.id(), n));
                }
            }
        }
        return new SyntheticMarket(machines, slots, host, now);
    }

    public OfferIndex index(GpuCatalog catalog) {
        return OfferIndex.build(catalog, machines, slots);
    }

    /** What a host's machines share: where they are, whether it is a datacenter, and its usual GPU. */
    private record Fleet(int size, String city, String country, boolean datacenter, GpuMix gpu) {
        static Fleet pick(Random r) {
            GpuMix gpu = GpuMix.PICK.pick(r);
            Places place = Places.PICK.pick(r);
            boolean datacenter = gpu.datacenter() ? r.nextInt(10) < 8 : r.nextInt(10) == 0;
            // Most hosts have a machine or two; a few run a dozen (mean about 4).
            int size = r.nextInt(3) == 0 ? 1 : 1 + (int) Math.min(11, -StrictMath.log(1 - r.nextDouble()) * 4);
            String city = place.cities().get(r.nextInt(place.cities().size()));
            return new Fleet(size, city, place.country(), datacenter, gpu);
        }
    }

    private static Machine machine(Random r, GpuModel model, GpuMix gpu, long id, int host, Fleet fleet, long now) {
        int gpus = gpu.gpuCounts().pick(r);
        boolean dc = fleet.datacenter;
        Cuda cuda = CUDA.pick(r);
        int pciGen = model.computeCap() >= 890 ? 4 + r.nextInt(2) : 3 + r.nextInt(2);
        int lanes = r.nextInt(5) == 0 ? 8 : 16;
        double pcieBw =
                round((pciGen == 3 ? 12.5 : pciGen == 4 ? 25 : 50) * lanes / 16.0 * (0.8 + 0.2 * r.nextDouble()), 1);
        int portStart = -1;
        int portEnd = -1;
        if (r.nextInt(100) >= 12) { // about one machine in eight forwards no ports
            int range = PORT_RANGES[r.nextInt(PORT_RANGES.length)];
            portStart = 10_000 + 10 * r.nextInt(5_000);
            portEnd = portStart + range - 1;
        }
        int coresPerGpu = 4 << r.nextInt(4);
        long ramPerGpuGb = 16L << r.nextInt(4);
        double diskPerGpu =
                StrictMath.exp(StrictMath.log(100) + r.nextDouble() * StrictMath.log(20)); // 100 GB .. 2 TB a GPU
        double inet = dc ? 1_000 + r.nextDouble() * 9_000 : 50 + StrictMath.exp(r.nextDouble() * StrictMath.log(2_000));
        MachineSpec spec = new MachineSpec(
                gpu.name(),
                gpus,
                model.vramMb(),
                "nvidia",
                0,
                cuda.version(),
                cuda.driver(),
                pcieBw,
                pciGen,
                lanes,
                round(150 + r.nextDouble() * 550, 0),
                83 + r.nextInt(10),
                dc && gpus == 8 && gpu.name().contains("SXM") ? 600 : 0,
                r.nextInt(20) == 0,
                CPUS[r.nextInt(CPUS.length)],
                "amd64",
                coresPerGpu * gpus,
                round(2.0 + r.nextDouble() * 3.2, 1),
                ramPerGpuGb * gpus * 1024,
                r.nextInt(20) != 0,
                round(diskPerGpu * gpus, 1),
                round(500 + r.nextDouble() * 6_500, 0),
                DISKS[r.nextInt(DISKS.length)],
                round(inet * (0.3 + 0.7 * r.nextDouble()), 1),
                round(inet, 1),
                BOARDS[r.nextInt(BOARDS.length)],
                OS[r.nextInt(OS.length)],
                // Addresses from 198.18.0.0/15, the range RFC 2544 sets aside for benchmarks.
                "198." + (18 + (int) (id >> 16 & 1)) + "." + (id >> 8 & 255) + "." + (id & 255),
                "host" + host + "-m" + id,
                portStart,
                portEnd,
                fleet.city + ", " + fleet.country,
                dc,
                dc || r.nextInt(5) < 2,
                r.nextInt(5) == 0);

        // Prices scatter around the model's going rate (log-normal, sigma 0.25), in whole tenths of a cent.
        long price = Math.max(
                1_000, roundTo(Money.fromDollars(gpu.dollarsHour() * StrictMath.exp(0.25 * r.nextGaussian())), 1_000));
        long minBid = Math.max(1_000, roundTo((long) (price * (0.4 + 0.4 * r.nextDouble())), 1_000));
        long storage = roundTo(Money.fromDollars(0.05 + r.nextDouble() * 0.35), 1_000);
        long inetUp = roundTo(Money.fromDollars(r.nextDouble() * 0.02), 100);
        long inetDown = roundTo(Money.fromDollars(r.nextDouble() * 0.02), 100);
        int minChunk = gpus > 1 && r.nextInt(10) < 3 ? 2 : 1;
        long endDate = now + DAY + (long) (r.nextDouble() * 179 * DAY);
        Listing listing = new Listing(
                price, storage, inetUp, inetDown, minBid, minChunk, endDate, DISCOUNTS[r.nextInt(DISCOUNTS.length)]);

        int free = gpus;
        if (gpus > 1 && r.nextInt(100) < 15) free = r.nextInt(gpus); // some machines are partly rented
        int v = r.nextInt(100);
        Verification verification =
                v < 60 ? Verification.VERIFIED : v < 95 ? Verification.UNVERIFIED : Verification.DEVERIFIED;
        // Reliability piles up near 1 with a tail down to 0.7 (median about 0.96).
        double reliability = round(1 - 0.3 * StrictMath.pow(r.nextDouble(), 3), 4);
        return new Machine(id, host, spec, verification, reliability, listing, free);
    }

    private static double round(double v, int decimals) {
        double scale = StrictMath.pow(10, decimals);
        return Math.round(v * scale) / scale;
    }

    private static long roundTo(long v, long step) {
        return Math.round(v / (double) step) * step;
    }
}
