package io.gpumarket.agent.sync;

import io.gpumarket.api.agent.DesiredInstance;
import io.gpumarket.api.agent.SyncResponse;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/** Desired states as the server sends them, for the agent's unit tests. */
final class Desired {
    static final List<String> KEYS = List.of("ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIFirstKey renter@laptop");

    private Desired() {}

    static DesiredInstance running(long id, long revision) {
        return of(id, revision, "running", 0, KEYS, null);
    }

    static DesiredInstance stopped(long id, long revision) {
        return of(id, revision, "stopped", 0, KEYS, null);
    }

    static DesiredInstance of(long id, long revision, String intended, long reboots, List<String> keys, String notice) {
        return new DesiredInstance(
                id,
                revision,
                intended,
                reboots,
                "busybox",
                List.of(),
                "echo hi",
                List.of(),
                null,
                "ssh",
                10,
                1,
                41000 + (int) id,
                Map.of(),
                keys,
                "key-" + id,
                "127.0.0.1",
                null,
                List.of(),
                notice,
                null);
    }

    /** Running, recycled {@code recycles} times. */
    static DesiredInstance recycled(long id, long revision, long recycles) {
        DesiredInstance d = running(id, revision);
        return new DesiredInstance(
                d.id(),
                d.revision(),
                d.intendedStatus(),
                d.rebootCount(),
                d.image(),
                d.env(),
                d.onstart(),
                d.args(),
                d.argsStr(),
                d.runtype(),
                d.diskGb(),
                d.numGpus(),
                d.sshPort(),
                d.ports(),
                d.sshKeys(),
                d.containerApiKey(),
                d.publicIpaddr(),
                d.label(),
                d.logRequests(),
                d.preemptNotice(),
                d.imageLogin(),
                d.volumes(),
                recycles);
    }

    static SyncResponse set(long revision, DesiredInstance... instances) {
        return new SyncResponse(1, revision, 10, Arrays.asList(instances));
    }
}
