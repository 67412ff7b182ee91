package io.gpumarket.core.search;

import io.gpumarket.core.catalog.GpuCatalog;
import io.gpumarket.core.catalog.GpuModel;
import io.gpumarket.core.machine.Listing;
import io.gpumarket.core.machine.Machine;
import io.gpumarket.core.machine.MachineSpec;
import io.gpumarket.core.machine.Verification;
import io.gpumarket.core.offer.Bundles;
import io.gpumarket.core.offer.OfferSlot;
import io.gpumarket.core.offer.OfferView;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/** Test markets: one plain machine to vary, and random markets with every kind of value the fields can take. */
public final class Markets {
    public static final GpuCatalog CATALOG = GpuCatalog.load();
    public static final long NOW = 1_750_000_000L;
    private static final long DAY = 86_400;

    private Markets() {}

    /** A market: machines and the offers (slots) of the listed ones. */
    public record Market(List<Machine> machines, List<OfferSlot> slots) {
        public List<OfferView> offers() {
            Map<Long, Machine> byId = new HashMap<>();
            for (Machine m : machines) byId.put(m.id(), m);
            List<OfferView> views = new ArrayList<>();
            for (OfferSlot s : slots) {
                Machine m = byId.get(s.machineId());
                if (m == null)
                    throw new IllegalStateException("slot " + s.id() + " of unknown machine " + s.machineId());
                views.add(new OfferView(m, s, CATALOG.model(m.spec().gpuName())));
            }
            return views;
        }

        public OfferIndex index() {
            return OfferIndex.build(CATALOG, machines, slots);
        }
    }

    public static MachineSpec spec(String gpu, int gpus) {
        return new MachineSpec(
                gpu,
                gpus,
                24564,
                null,
                0,
                12.4,
                "550.54.15",
                25.0,
                4,
                16,
                450,
                85,
                0,
                false,
                "AMD EPYC 7543",
                "amd64",
                32,
                3.7,
                131072,
                true,
                1000,
                3000,
                "Samsung 990",
                1000,
                1000,
                "ROMED8-2T",
                "22.04",
                "203.0.113.7",
                "host-1",
                40000,
                40099,
                "Oslo, NO",
                false,
                false,
                false);
    }

    /** $0.40/GPU/h, $0.15/GB/month disk, $0.01/GB traffic, min bid $0.20/GPU/h, listed for 30 days. */
    public static Listing listing(int minChunk) {
        return new Listing(400_000, 150_000, 10_000, 10_000, 200_000, minChunk, NOW + 30 * DAY, 0.1);
    }

    public static Machine machine(long id, MachineSpec spec, Listing listing) {
        return new Machine(id, 1000 + id, spec, Verification.VERIFIED, 0.995, listing, spec.numGpus());
    }

    /** The slots the store would create: bundles minChunk, 2×, 4× … of the free GPUs, ids from nextId on. */
    public static List<OfferSlot> slots(Machine m, long nextId) {
        List<OfferSlot> slots = new ArrayList<>();
        if (!m.listed()) return slots;
        for (int n : Bundles.sizes(m.freeGpus(), m.listing().minChunk())) slots.add(new OfferSlot(nextId++, m.id(), n));
        return slots;
    }

    private static final String[] GPUS = {
        "RTX 4090",
        "RTX 3090",
        "RTX 3060",
        "A100 SXM4",
        "H100 SXM",
        "L40S",
        "RTX A6000",
        "T4",
        "H200",
        "RTX 5090",
        "Radeon VII"
    };
    private static final String[] PLACES = {
        "Oslo, NO",
        "Washington, US",
        "Austin, US",
        "Taipei, TW",
        "Stockholm, SE",
        "Hanoi, VN",
        "Shanghai, CN",
        "Paris, FR",
        "Quebec, CA",
        "Sydney, AU"
    };
    private static final String[] DRIVERS = {"535.86.05", "550.54.15", "560.35.03", "535.129.03", null, "bogus"};
    private static final String[] OS = {"20.04", "22.04", "24.04", null};
    private static final String[] CPUS = {"AMD EPYC 7543", "Intel Xeon Gold 6248", "AMD Ryzen 9 7950X", null};
    private static final String[] DISKS = {"Samsung 990", "WD SN850", null};
    private static final String[] BOARDS = {"ROMED8-2T", "X570_AORUS", null};
    private static final int[] GPU_COUNTS = {1, 1, 2, 4, 8, 3, 6};

    /** A random market of about {@code machines} machines; every value a field can hold occurs somewhere. */
    public static Market random(long seed, int machines) {
        Random r = new Random(seed);
        List<Machine> all = new ArrayList<>();
        List<OfferSlot> slots = new ArrayList<>();
        long nextSlot = 1 + r.nextInt(1000);
        for (int i = 0; i < machines; i++) {
            long id = 1 + i * 3L + r.nextInt(3);
            Machine m = randomMachine(r, id);
            all.add(m);
            List<OfferSlot> ms = slots(m, nextSlot);
            nextSlot += ms.size() + r.nextInt(3);
            slots.addAll(ms);
        }
        return new Market(all, slots);
    }

    /**
     * A benchmark-sized market: every machine listed with all GPUs free in bundles of 1, 2, 4 … (about 2.5
     * offers a machine), otherwise as random as {@link #random}.
     */
    public static Market large(long seed, int machines) {
        Random r = new Random(seed);
        List<Machine> all = new ArrayList<>(machines);
        List<OfferSlot> slots = new ArrayList<>(machines * 3);
        long nextSlot = 1;
        for (int i = 0; i < machines; i++) {
            Machine m = randomMachine(r, i + 1L);
            int gpus = 1 << r.nextInt(4);
            m = m.withSpec(specWithGpus(m.spec(), gpus));
            m = new Machine(
                    m.id(),
                    m.hostId(),
                    m.spec(),
                    m.verification(),
                    m.reliability(),
                    m.listed() ? m.listing() : listing(1),
                    gpus);
            m = m.withListing(new Listing(
                    m.listing().gpuPricePerHour(),
                    m.listing().diskPricePerGbMonth(),
                    m.listing().inetUpPricePerGb(),
                    m.listing().inetDownPricePerGb(),
                    m.listing().minBidPerGpuHour(),
                    1,
                    m.listing().endDate(),
                    m.listing().creditDiscountMax()));
            all.add(m);
            List<OfferSlot> ms = slots(m, nextSlot);
            nextSlot += ms.size();
            slots.addAll(ms);
        }
        return new Market(all, slots);
    }

    static MachineSpec specWithGpus(MachineSpec s, int gpus) {
        return new MachineSpec(
                s.gpuName(),
                gpus,
                s.gpuRamMb(),
                s.gpuArch(),
                s.computeCap(),
                s.cudaMaxGood(),
                s.driverVersion(),
                s.pcieBw(),
                s.pciGen(),
                s.gpuLanes(),
                s.gpuMaxPower(),
                s.gpuMaxTemp(),
                s.bwNvlink(),
                s.gpuDisplayActive(),
                s.cpuName(),
                s.cpuArch(),
                s.cpuCores(),
                s.cpuGhz(),
                s.cpuRamMb(),
                s.hasAvx(),
                s.diskSpaceGb(),
                s.diskBw(),
                s.diskName(),
                s.inetUp(),
                s.inetDown(),
                s.moboName(),
                s.osVersion(),
                s.publicIpaddr(),
                s.hostname(),
                s.directPortStart(),
                s.directPortEnd(),
                s.geolocation(),
                s.datacenter(),
                s.staticIp(),
                s.vmsEnabled());
    }

    /**
     * The machine with its model's GPU memory, as real hosts of one model report it: a partition of such
     * machines has one gpu_ram, which lets a search decide a gpu_ram condition for all of it at once.
     */
    static Machine withModelMemory(Machine m) {
        int vram = CATALOG.model(m.spec().gpuName()).vramMb();
        return vram <= 0 ? m : withGpu(m, m.spec().gpuName(), vram);
    }

    /** The machine with another GPU model and memory, all else the same. */
    static Machine withGpu(Machine m, String gpuName, int gpuRamMb) {
        MachineSpec s = m.spec();
        return m.withSpec(new MachineSpec(
                gpuName,
                s.numGpus(),
                gpuRamMb,
                s.gpuArch(),
                s.computeCap(),
                s.cudaMaxGood(),
                s.driverVersion(),
                s.pcieBw(),
                s.pciGen(),
                s.gpuLanes(),
                s.gpuMaxPower(),
                s.gpuMaxTemp(),
                s.bwNvlink(),
                s.gpuDisplayActive(),
                s.cpuName(),
                s.cpuArch(),
                s.cpuCores(),
                s.cpuGhz(),
                s.cpuRamMb(),
                s.hasAvx(),
                s.diskSpaceGb(),
                s.diskBw(),
                s.diskName(),
                s.inetUp(),
                s.inetDown(),
                s.moboName(),
                s.osVersion(),
                s.publicIpaddr(),
                s.hostname(),
                s.directPortStart(),
                s.directPortEnd(),
                s.geolocation(),
                s.datacenter(),
                s.staticIp(),
                s.vmsEnabled()));
    }

    static Machine randomMachine(Random r, long id) {
        String gpu = pick(r, GPUS);
        int gpus = GPU_COUNTS[r.nextInt(GPU_COUNTS.length)];
        GpuModel model = CATALOG.model(gpu);
        int portStart = r.nextInt(4) == 0 ? -1 : 20000 + r.nextInt(20000);
        int portEnd = portStart < 0 ? -1 : portStart + r.nextInt(200);
        MachineSpec spec = new MachineSpec(
                gpu,
                gpus,
                r.nextBoolean() && model.vramMb() > 0 ? model.vramMb() : 8192 * (1 + r.nextInt(10)),
                r.nextInt(10) == 0 ? "amd" : null,
                r.nextInt(3) == 0 ? 600 + 10 * r.nextInt(40) : 0,
                pick(r, new Double[] {11.8, 12.1, 12.2, 12.4, 12.8}),
                pick(r, DRIVERS),
                round(r, 3 + r.nextDouble() * 22, 1),
                3 + r.nextInt(3),
                r.nextBoolean() ? 8 : 16,
                150 + r.nextInt(550),
                80 + r.nextInt(15),
                r.nextInt(3) == 0 ? 0 : round(r, 100 + r.nextDouble() * 800, 1),
                r.nextInt(5) == 0,
                pick(r, CPUS),
                r.nextInt(8) == 0 ? "arm64" : null,
                4 << r.nextInt(6),
                round(r, 2 + r.nextDouble() * 3, 1),
                16384L << r.nextInt(6),
                r.nextInt(6) != 0,
                round(r, 3 + r.nextDouble() * (r.nextBoolean() ? 40 : 4000), 1),
                round(r, 500 + r.nextDouble() * 6000, 0),
                pick(r, DISKS),
                round(r, 50 + r.nextDouble() * 2000, 0),
                round(r, 50 + r.nextDouble() * 2000, 0),
                pick(r, BOARDS),
                pick(r, OS),
                r.nextInt(5) == 0 ? null : "198.51.100." + r.nextInt(255),
                r.nextInt(5) == 0 ? null : "host-" + r.nextInt(50),
                portStart,
                portEnd,
                pick(r, PLACES),
                r.nextBoolean(),
                r.nextInt(3) == 0,
                r.nextInt(4) == 0);
        Listing listing = r.nextInt(10) == 0
                ? null
                : new Listing(
                        r.nextInt(15) == 0 ? 0 : 50_000L * (1 + r.nextInt(80)),
                        10_000L * r.nextInt(30),
                        1_000L * r.nextInt(20),
                        1_000L * r.nextInt(20),
                        r.nextInt(15) == 0 ? 0 : 25_000L * (1 + r.nextInt(40)),
                        1 << r.nextInt(3),
                        NOW + (r.nextInt(8) == 0 ? -r.nextInt(10) * DAY : r.nextInt(200) * DAY + r.nextInt(86_400)),
                        pick(r, new Double[] {0.0, 0.0, 0.1, 0.25}));
        Verification v = Verification.values()[r.nextInt(3)];
        double reliability = round(r, 0.8 + r.nextDouble() * 0.2, 3);
        return new Machine(id, 100 + r.nextInt(40), spec, v, reliability, listing, r.nextInt(gpus + 1));
    }

    static <T> T pick(Random r, T[] options) {
        return options[r.nextInt(options.length)];
    }

    private static double round(Random r, double v, int decimals) {
        double scale = Math.pow(10, decimals);
        return Math.round(v * scale) / scale;
    }
}
