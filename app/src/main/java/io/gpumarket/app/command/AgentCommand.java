package io.gpumarket.app.command;

import io.gpumarket.agent.Agent;
import io.gpumarket.agent.metrics.MetricsListen;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code gpumarket agent}: runs a host's machine for the market. Its flags ({@link AgentOptions}) may come from a file,
 * one a line ({@code gpumarket agent @/etc/gpumarket/agent.conf}, picocli's @-file), which is how the systemd unit
 * that {@code gpumarket agent install} writes runs it: the machine token stays out of the process list.
 */
@Command(
        name = "agent",
        mixinStandardHelpOptions = true,
        subcommands = AgentInstallCommand.class,
        description = {
            "Run the host agent for one machine (authenticated with its machine token).",
            "Flags may be read from a file, one a line: gpumarket agent @FILE (`agent install` writes one)."
        })
public final class AgentCommand implements Callable<Integer> {
    @Mixin
    AgentOptions agent = new AgentOptions();

    @Mixin
    LogOptions log = new LogOptions();

    @Option(
            names = "--metrics-listen",
            paramLabel = "HOST:PORT",
            description = "serve the agent's Prometheus metrics at http://HOST:PORT/metrics (off by default; no "
                    + "authentication: bind to loopback or a management network; docs/operations.md)")
    String metricsListen;

    @Override
    public Integer call() throws Exception {
        log.apply();
        Agent running = Agent.start(
                agent.config(Home.path().resolve("agent")),
                metricsListen == null ? null : MetricsListen.parse(metricsListen),
                agent.speedTestInterval());
        System.out.println("agent running machine " + running.machineId() + " for " + agent.server);
        ServerCommand.awaitShutdown(running);
        return 0;
    }
}
