package io.gpumarket.agent.launcher;

import java.util.List;
import java.util.Map;

/** Instance specs for tests: an ssh instance with a given onstart, and variations. */
public final class TestSpecs {
    private TestSpecs() {}

    public static InstanceSpec ssh(long id, String onstart) {
        return new InstanceSpec(
                id,
                "pytorch/pytorch:latest",
                List.of(),
                onstart,
                List.of(),
                null,
                "ssh",
                10,
                0,
                Map.of(),
                "key-" + id,
                "127.0.0.1");
    }

    public static InstanceSpec ssh(long id, String onstart, int sshPort) {
        return new InstanceSpec(
                id,
                "pytorch/pytorch:latest",
                List.of(),
                onstart,
                List.of(),
                null,
                "ssh",
                10,
                sshPort,
                Map.of(),
                "key-" + id,
                "127.0.0.1");
    }

    /** Runtype args with an entrypoint, as dstack and vastai's {@code --entrypoint} send it (in {@code onstart}). */
    public static InstanceSpec entrypoint(long id, String onstart, List<String> args) {
        return new InstanceSpec(
                id, "busybox", List.of(), onstart, args, null, "args", 10, 0, Map.of(), "key-" + id, "127.0.0.1");
    }

    public static InstanceSpec args(long id, List<String> args, String argsStr) {
        return new InstanceSpec(
                id, "busybox", List.of(), null, args, argsStr, "args", 10, 0, Map.of(), "key-" + id, "127.0.0.1");
    }
}
