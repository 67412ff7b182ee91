package io.gpumarket.agent.sync;

import io.gpumarket.agent.launcher.InstanceSpec;
import io.gpumarket.api.agent.DesiredInstance;

/** The launcher's view of what the server wants. */
public final class Specs {
    private Specs() {}

    public static InstanceSpec of(DesiredInstance d) {
        return new InstanceSpec(
                d.id(),
                d.image(),
                d.env(),
                d.onstart(),
                d.args(),
                d.argsStr(),
                d.runtype(),
                d.diskGb(),
                d.sshPort(),
                d.ports(),
                d.containerApiKey(),
                d.publicIpaddr(),
                d.numGpus(),
                d.imageLogin(),
                d.volumes().stream()
                        .map(v -> new io.gpumarket.agent.launcher.VolumeMount(v.id(), v.sizeGb(), v.mountPath()))
                        .toList());
    }
}
