package io.gpumarket.api.agent;

/**
 * One instance-to-instance copy as one of its two agents is told it ({@link DesiredInstance#copies}), docs/copy.md.
 * The server hands each side its half of a one-time ticket: the destination's agent gets the ticket and where the
 * source instance's SSH door is, and pulls with rsync's daemon protocol through it; the source's agent gets only
 * the ticket's SHA-256 and lets in, as {@code vastai_kaalia}, the one client that presents the ticket. Neither agent
 * trusts the other further than that: the source serves only its own instance's files, read by rsync inside it, and
 * the destination writes only inside its own instance.
 *
 * @param id          the copy's id (the agent reports its progress and end under it)
 * @param role        {@link #PULL} on the destination's instance, {@link #SERVE} on the source's
 * @param ticket      the one-time ticket (pull only; null on the serving side)
 * @param ticketHash  its SHA-256, lowercase hex (both sides)
 * @param peer        the other instance's id: the source's module name for a pull
 * @param peerAddr    the source machine's address (pull only)
 * @param peerPort    the source instance's SSH port (pull only)
 * @param srcPath     the path in the source instance
 * @param dstPath     the path in the destination instance
 */
public record CopyTask(
        long id,
        String role,
        String ticket,
        String ticketHash,
        long peer,
        String peerAddr,
        int peerPort,
        String srcPath,
        String dstPath) {
    public static final String PULL = "pull";
    public static final String SERVE = "serve";
}
