package io.gpumarket.agent.launcher.limits;

import java.util.ArrayList;
import java.util.List;

/**
 * What resource limits this host can put on process-launched instances, and what it cannot, each with why: the
 * memory, pids and CPU limits (cgroups) and the disk limit (a loop-mounted image). The agent logs it at start; a
 * host that cannot provide one of them should not rent to strangers (see docs/security.md).
 *
 * @param provided what is enforced, in words ("memory, pids, cpu limits (cgroup v1)", "disk limit (ext4 image)")
 * @param missing  what is not, each as "what: why"
 */
public record ResourceIsolation(List<String> provided, List<String> missing) {
    public ResourceIsolation {
        provided = List.copyOf(provided);
        missing = List.copyOf(missing);
    }

    /** This host's capabilities, found afresh. */
    public static ResourceIsolation check() {
        return of(Cgroups.detect(), DiskImage.unavailable().orElse(null));
    }

    static ResourceIsolation of(Cgroups cgroups, String noDiskImage) {
        List<String> provided = new ArrayList<>();
        List<String> missing = new ArrayList<>(cgroups.missing());
        List<String> limited = Cgroups.CONTROLLERS.stream()
                .filter(c -> missing.stream().noneMatch(m -> m.startsWith(c + " ")))
                .toList();
        if (!limited.isEmpty()) provided.add(String.join(", ", limited) + " limits (" + cgroups.description() + ")");
        if (noDiskImage == null) provided.add("disk limit (an ext4 image per instance)");
        else missing.add("disk limit: " + noDiskImage);
        return new ResourceIsolation(provided, missing);
    }

    /** True when every limit is enforced. */
    public boolean complete() {
        return missing.isEmpty();
    }
}
