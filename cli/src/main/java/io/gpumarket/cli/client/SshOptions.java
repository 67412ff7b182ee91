package io.gpumarket.cli.client;

import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/**
 * How {@code ssh} and {@code copy} call OpenSSH: {@code -i} picks the identity (else ssh's defaults), {@code -o}
 * passes ssh options through. Host keys are accepted the first time and checked after
 * ({@code StrictHostKeyChecking=accept-new}) unless an {@code -o} says otherwise.
 */
public final class SshOptions {
    @Option(
            names = {"-i", "--identity"},
            description = "private key file for ssh")
    String identity;

    @Option(
            names = {"-o", "--ssh-option"},
            description = "an ssh -o option, e.g. -o UserKnownHostsFile=/dev/null (repeatable)")
    List<String> sshOptions = new ArrayList<>();

    /** {@code ssh} and its options for this port, without the destination. */
    public List<String> ssh(int port) {
        List<String> argv = new ArrayList<>(List.of("ssh", "-p", Integer.toString(port)));
        if (identity != null) argv.addAll(List.of("-i", identity));
        boolean hostKeyPolicy =
                sshOptions.stream().anyMatch(o -> o.toLowerCase().startsWith("stricthostkeychecking"));
        if (!hostKeyPolicy) argv.addAll(List.of("-o", "StrictHostKeyChecking=accept-new"));
        for (String o : sshOptions) argv.addAll(List.of("-o", o));
        return argv;
    }

    /** The same as one {@code rsync -e} string (arguments with spaces single-quoted, as rsync splits it). */
    public String rsyncShell(int port) {
        List<String> quoted = new ArrayList<>();
        for (String a : ssh(port)) quoted.add(a.contains(" ") ? "'" + a + "'" : a);
        return String.join(" ", quoted);
    }
}
