package io.gpumarket.agent.launcher.limits;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The process launcher's resource limits for each instance, in one place: its cgroup (memory without swap,
 * pids, CPU, in proportion to the GPUs it rents of the {@link MachineSize}) and its disk image of the rented
 * size. The launcher calls {@link #prepare} before a start, puts {@link #joinPrefix} in front of every command it
 * starts for the instance (its init and every SSH session), and calls {@link #release} when the instance is
 * destroyed.
 *
 * <p>Groups are named {@code gpumarket/<agent>/<instance id>}, where {@code <agent>} is a digest of the
 * instances directory: several agents on one host (tests, dev mode) may serve instances with the same id from
 * different servers. The name is all a restarted agent needs to find an instance's group again.
 */
public final class InstanceLimits {
    private static final Logger LOG = LoggerFactory.getLogger(InstanceLimits.class);
    private static final String JOIN =
            "while [ \"$1\" != -- ]; do echo $$ > \"$1\" || exit 125; shift; done; shift; exec \"$@\"";

    private final Cgroups cgroups;
    private final MachineSize machine;
    private final String agentKey;
    private final String noDiskImage;
    /** The share each instance's group was given by this agent (what the status message quotes). */
    private final Map<Long, ResourceShare> shares = new ConcurrentHashMap<>();

    InstanceLimits(Cgroups cgroups, MachineSize machine, Path instancesDir, String noDiskImage) {
        this.cgroups = cgroups;
        this.machine = machine;
        this.agentKey = digest(instancesDir.toAbsolutePath().normalize().toString());
        this.noDiskImage = noDiskImage;
    }

    /** Limits with whatever this host offers, for instances kept in {@code instancesDir}. */
    public static InstanceLimits detect(Path instancesDir, MachineSize machine) {
        return new InstanceLimits(
                Cgroups.detect(), machine, instancesDir, DiskImage.unavailable().orElse(null));
    }

    /** What is enforced and what is not on this host. */
    public ResourceIsolation isolation() {
        return ResourceIsolation.of(cgroups, noDiskImage);
    }

    public MachineSize machine() {
        return machine;
    }

    /**
     * Before a start: the disk image made and mounted (unless the instance already has plain directories), and a
     * fresh cgroup with the contract's limits (a fresh one, so that its counters speak of this run only; anything
     * a previous run left in it is killed).
     */
    public void prepare(long id, Path instanceDir, double diskGb, int rentedGpus) throws IOException {
        if (noDiskImage == null && !DiskImage.plainLayout(instanceDir))
            DiskImage.of(instanceDir).ensureMounted(diskGb);
        cgroups.remove(name(id));
        ResourceShare share = machine.share(rentedGpus);
        apply(id, share);
        shares.put(id, share);
    }

    /**
     * After an agent restart, for a run that kept going: its group is still there; the limits are written again
     * in case this agent computes them differently. A failure is logged: the run keeps its old limits.
     */
    public void reapply(long id, int rentedGpus) {
        try {
            ResourceShare share = machine.share(rentedGpus);
            apply(id, share);
            shares.put(id, share);
        } catch (IOException e) {
            LOG.warn("instance {}: its limits could not be written again: {}", id, e.getMessage());
        }
    }

    /**
     * Words to put in front of a command so that it runs in the instance's cgroup: a tiny shell writes its own
     * pid to each {@code cgroup.procs}, then execs the command, so the command and everything it starts are
     * limited from their first instruction. Exit status 125 when joining fails. Empty without cgroups.
     */
    public List<String> joinPrefix(long id) {
        List<Path> files = cgroups.procsFiles(name(id));
        if (files.isEmpty()) return List.of();
        List<String> argv = new ArrayList<>(List.of("/bin/sh", "-c", JOIN, "gpumarket-cgroup"));
        files.forEach(f -> argv.add(f.toString()));
        argv.add("--");
        return argv;
    }

    /** Before the instance's processes are stopped or killed: they get the CPU to exit quickly. */
    public void beforeStop(long id) {
        cgroups.unthrottle(name(id));
    }

    /** When the instance is destroyed (its processes already ended): its group removed, its image unmounted and deleted. */
    public void release(long id, Path instanceDir) {
        cgroups.remove(name(id));
        shares.remove(id);
        DiskImage image = DiskImage.of(instanceDir);
        try {
            image.release();
        } catch (IOException e) {
            LOG.warn("instance {}: its disk image {} could not be released: {}", id, image.image(), e.getMessage());
        }
    }

    /** Used and free space of the instance's disk image, when it has one mounted. */
    public Optional<DiskImage.Space> disk(Path instanceDir) {
        return DiskImage.of(instanceDir).space();
    }

    /**
     * What the limits did to the running instance, for its {@code status_msg}: "; memory limit … reached …",
     * "; process limit … reached …", "; disk full …"; empty when nothing struck.
     */
    public String notes(long id, Path instanceDir, double rentedDiskGb) {
        StringBuilder b = new StringBuilder();
        ResourceShare share = shares.get(id);
        Cgroups.Strikes s = cgroups.strikes(name(id));
        if (s.oomKills() > 0) {
            b.append("; memory limit")
                    .append(share == null ? "" : String.format(" of %.2f GB", share.memoryBytes() / 1e9))
                    .append(String.format(
                            " reached: %d process%s killed (out of memory)",
                            s.oomKills(), s.oomKills() == 1 ? "" : "es"));
        }
        if (s.forksRefused() > 0) {
            b.append("; process limit")
                    .append(share == null ? "" : " of " + share.pids())
                    .append(String.format(
                            " reached: %d fork%s refused", s.forksRefused(), s.forksRefused() == 1 ? "" : "s"));
        }
        disk(instanceDir)
                .filter(DiskImage.Space::full)
                .ifPresent(space -> b.append(String.format(
                        "; disk full: %.2f GB used of the rented %.2f GB, writes fail with 'No space left on device'",
                        space.usedBytes() / 1e9, rentedDiskGb)));
        return b.toString();
    }

    /**
     * Writes the group's limits, trying again twice: destroying another instance removes the shared parent groups
     * once they look empty, which can happen between this one's making a parent and making its own group in it.
     */
    private void apply(long id, ResourceShare share) throws IOException {
        for (int attempt = 1; ; attempt++) {
            try {
                cgroups.apply(name(id), share, machine.cores());
                return;
            } catch (IOException e) {
                if (attempt == 3) throw e;
            }
        }
    }

    /** The instance's group, relative to each hierarchy's root. */
    String name(long id) {
        return "gpumarket/" + agentKey + "/" + id;
    }

    private static String digest(String s) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(d, 0, 6);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }
}
