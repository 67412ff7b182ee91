package io.gpumarket.agent.ssh;

import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * What the SSH door runs for Vast's copy user, {@code vastai_kaalia}: vastai's {@code copy} runs {@code rsync -e
 * "ssh -p PORT" … vastai_kaalia@ADDR::ID/path}, rsync's daemon protocol over a remote shell, so the client asks
 * the door to run {@code rsync --server --daemon .} and then names a module. Here that daemon runs <em>inside</em>
 * the instance, as every other session does, with a configuration written on the spot that offers exactly one
 * module, the instance's own {@code /}, under its id (both spellings vastai sends: {@code 42} and {@code C.42}).
 *
 * <p>Confinement is the instance's own: the daemon sees the file system the instance sees (its sandbox or its
 * container), so a symlink the renter made to {@code /etc} points at the instance's {@code /etc}, never the
 * host's; rsync's daemon strips {@code ..} and leading slashes from every path it is given; another instance's id
 * is an unknown module (that instance's files are not in this view at all, and its door is another port with its
 * own keys). Symlinks are stored as sent ({@code munge symlinks = no}): inside the instance they can reach no
 * further than the renter's shell already does. The daemon runs as the session's user inside the instance (root
 * there), so files land owned as the renter's own copies would.
 *
 * <p>The configuration goes to rsync on file descriptor 3 (a here-document), since the instance's file system
 * is the renter's and nothing of ours should be left in it.
 */
final class RsyncDaemon {
    /** The user name vastai's copy logs in as. */
    static final String USER = "vastai_kaalia";

    private RsyncDaemon() {}

    /**
     * The program to run for {@code command} sent by {@link #USER}, or empty when it is not the rsync daemon
     * (that user may run nothing else).
     *
     * @param rsync    the rsync program inside the instance ({@code Launcher.rsyncCommand})
     * @param readOnly a copy ticket's session (another instance pulling): the module can only be read
     */
    static Optional<List<String>> command(String command, long instanceId, List<String> rsync, boolean readOnly) {
        List<String> words = List.of(command.strip().split("\\s+"));
        if (words.size() < 3
                || !words.get(0).equals("rsync")
                || !words.get(1).equals("--server")
                || !words.get(2).equals("--daemon")) {
            return Optional.empty();
        }
        // Whatever else the client sent (it sends "." only) is ignored: the daemon's options are ours.
        return Optional.of(List.of("sh", "-c", script(instanceId, rsync, readOnly)));
    }

    static String script(long instanceId, List<String> rsync, boolean readOnly) {
        String module = "path = /\nread only = " + (readOnly ? "yes" : "no") + "\n" + """
                list = no
                munge symlinks = no
                numeric ids = yes
                uid = $u
                gid = $g
                """;
        String program = rsync.stream().map(RsyncDaemon::quote).collect(Collectors.joining(" "));
        return "u=$(id -u 2>/dev/null || echo 0); g=$(id -g 2>/dev/null || echo 0)\n"
                + "exec 3<<EOF\n"
                + "use chroot = no\n"
                + "reverse lookup = no\n"
                + "log file = /dev/null\n"
                + "[" + instanceId + "]\n" + module
                + "[C." + instanceId + "]\n" + module
                + "EOF\n"
                + "exec " + program + " --server --daemon --config=/dev/fd/3 .\n";
    }

    private static String quote(String word) {
        return "'" + word.replace("'", "'\\''") + "'";
    }
}
