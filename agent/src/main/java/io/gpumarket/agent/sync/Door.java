package io.gpumarket.agent.sync;

import java.io.IOException;
import java.util.List;
import java.util.Map;

/** The ways in to an instance (the SSH front door, published ports), as the runners use them. */
public interface Door {
    /**
     * Opens the instance's SSH listener on {@code sshPort} and its published ports ("8080/tcp" → host port).
     * Answers the published ports that could not be opened (shown to the renter); throws when SSH cannot be.
     */
    List<String> open(long instanceId, int sshPort, Map<String, Integer> ports, List<String> authorizedKeys)
            throws IOException;

    /**
     * Opens the SSH listener of a stopped instance for vastai's copy only ({@code vastai_kaalia}: the rsync daemon over
     * the instance's files at rest, for the renter's keys and for copy tickets); no published ports. A door open the
     * other way is reopened this way.
     */
    default void openFilesOnly(long instanceId, int sshPort, List<String> authorizedKeys) throws IOException {
        throw new IOException("this door cannot serve a stopped instance's files");
    }

    void updateKeys(long instanceId, List<String> authorizedKeys);

    /**
     * The tickets (SHA-256, hex) of the copies out of this instance now going, which let their destination's agent
     * pull from it (docs/copy.md); replaced as a whole.
     */
    default void updateTickets(long instanceId, java.util.Set<String> ticketHashes) {}

    void close(long instanceId);
}
