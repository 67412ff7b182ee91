package io.gpumarket.agent.launcher.process;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Optional;

/**
 * The host uids an instance's user namespace maps: slot {@code k} is {@code BASE + SIZE × k …} (65,536 uids, so
 * root inside is host uid {@code BASE + SIZE × k} and the instance's own users follow it), none of them a uid the
 * host uses. The instance's files on the host are owned by these uids; the agent, root, still manages them.
 *
 * <p>Slots are claimed host-wide, so two agents on one host (or two markets) never hand one range to two
 * instances: a claim is a file {@code <registry>/<k>} created exclusively and holding the instance directory's
 * path; the instance remembers its slot in {@code <instance>/uid-slot}. A claim whose instance directory is gone
 * (destroyed while its agent was away, a wiped test directory) is stale and taken over.
 */
final class UidRange {
    static final long BASE = 200_000;
    static final long SIZE = 65_536;
    /** Slots 1 … SLOTS: the highest range ends below 2^31, so every uid fits Java's int file attributes. */
    static final int SLOTS = 32_000;
    /** One claim at a time in this JVM (dev mode runs several agents in one process). */
    private static final Object LOCK = new Object();

    static final Path DEFAULT_REGISTRY = Path.of("/var/lib/gpumarket/uid-ranges");

    private final Path registry;

    UidRange(Path registry) {
        this.registry = registry;
    }

    /** Host uid of root inside the instance of slot {@code slot}. */
    static long hostUid(int slot) {
        return BASE + SIZE * slot;
    }

    /** The instance's slot: the one it holds, else a free one claimed now. */
    int claim(InstanceFiles f) throws IOException {
        synchronized (LOCK) {
            return claimLocked(f);
        }
    }

    private int claimLocked(InstanceFiles f) throws IOException {
        Files.createDirectories(registry);
        String owner = f.dir().toAbsolutePath().normalize().toString();
        Optional<Integer> held = held(f);
        if (held.isPresent() && owner.equals(claimant(held.get()).orElse(null))) return held.get();
        int first = Math.floorMod(owner.hashCode(), SLOTS);
        for (int i = 0; i < SLOTS; i++) {
            int slot = 1 + (first + i) % SLOTS;
            if (take(slot, owner)) {
                Files.writeString(f.uidSlot(), Integer.toString(slot));
                return slot;
            }
        }
        throw new IOException("all " + SLOTS + " uid ranges under " + registry + " are claimed");
    }

    /** Gives the instance's slot back (destroy). */
    void release(InstanceFiles f) {
        synchronized (LOCK) {
            releaseLocked(f);
        }
    }

    private void releaseLocked(InstanceFiles f) {
        String owner = f.dir().toAbsolutePath().normalize().toString();
        held(f).filter(slot -> owner.equals(claimant(slot).orElse(null))).ifPresent(slot -> {
            try {
                Files.deleteIfExists(registry.resolve(Integer.toString(slot)));
            } catch (IOException e) {
                // a claim left behind is taken over once its instance directory is gone
            }
        });
    }

    private boolean take(int slot, String owner) throws IOException {
        Path claim = registry.resolve(Integer.toString(slot));
        Optional<String> current = claimant(slot);
        if (current.isPresent() && !current.get().equals(owner) && Files.isDirectory(Path.of(current.get())))
            return false;
        if (current.isPresent()) Files.deleteIfExists(claim); // stale, or ours already
        try {
            Files.writeString(
                    claim, owner, StandardCharsets.UTF_8, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
            return true;
        } catch (FileAlreadyExistsException e) {
            return false; // another agent took it just now
        }
    }

    private Optional<String> claimant(int slot) {
        try {
            return Optional.of(
                    Files.readString(registry.resolve(Integer.toString(slot))).strip());
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /** The host uid root maps to in the range the instance holds, if it holds one. */
    static Optional<Long> heldHostUid(InstanceFiles f) {
        return held(f).map(UidRange::hostUid);
    }

    private static Optional<Integer> held(InstanceFiles f) {
        try {
            int slot = Integer.parseInt(Files.readString(f.uidSlot()).strip());
            return slot >= 1 && slot <= SLOTS ? Optional.of(slot) : Optional.empty();
        } catch (IOException | NumberFormatException e) {
            return Optional.empty();
        }
    }
}
