package io.gpumarket.agent.ssh;

import io.gpumarket.agent.launcher.InstanceSpec;
import io.gpumarket.agent.launcher.TestSpecs;
import io.gpumarket.agent.launcher.process.ProcessLauncher;
import java.nio.file.Path;
import java.util.List;

/**
 * A stand-in agent in its own JVM, so a test can kill it with SIGKILL: it starts (or recovers) one instance, opens
 * its front door, prints "ready <init pid>" and waits to be killed.
 * Arguments: state dir, instance id, SSH port, authorized key.
 */
public final class AgentProcess {
    public static void main(String[] args) throws Exception {
        Path state = Path.of(args[0]);
        long id = Long.parseLong(args[1]);
        int port = Integer.parseInt(args[2]);
        ProcessLauncher launcher = new ProcessLauncher(state.resolve("instances"));
        SshFrontDoor door = new SshFrontDoor(state.resolve("ssh"), launcher);
        InstanceSpec spec = spec(id, port);
        if (!launcher.recover(spec)) launcher.start(spec);
        door.open(id, "127.0.0.1", port, List.of(args[3]));
        System.out.println("ready " + launcher.initPid(id).orElseThrow());
        System.out.flush();
        Thread.sleep(Long.MAX_VALUE); // until killed: this JVM plays an agent that dies without warning
    }

    static InstanceSpec spec(long id, int port) {
        return TestSpecs.ssh(id, "sleep 3000 > /dev/null 2>&1 & echo $(date +%s%N) >> /root/onstart-runs", port);
    }
}
