package io.gpumarket.agent.copy;

import static org.assertj.core.api.Assertions.assertThat;

import io.gpumarket.agent.launcher.TestSpecs;
import io.gpumarket.agent.launcher.process.ProcessLauncher;
import io.gpumarket.agent.ssh.SshFrontDoor;
import io.gpumarket.api.agent.CopyTask;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;

/**
 * The destination's pull against the source's real SSH door, both real process-launched instances: the rsync
 * client inside the destination talks to the rsync daemon inside the source through this agent's SSH client and
 * the door (the relay that stalled before: docs/copy.md). The bytes the source's door sends are counted, which
 * shows what a copy resumed after an interruption does not send again.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(180)
class CopyPullTest {
    private static final long SRC = 1;
    private static final long DST = 2;
    private static final String TICKET = "a-one-time-ticket";

    Path state;
    ProcessLauncher launcher;
    SshFrontDoor door;
    int port;
    long nextCopy = 1;

    @BeforeAll
    void twoInstancesTheSourceBehindItsDoor() throws Exception {
        state = Files.createTempDirectory("gpumarket-copy-test-");
        launcher = new ProcessLauncher(state.resolve("instances"));
        door = new SshFrontDoor(state.resolve("ssh"), launcher);
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        launcher.start(TestSpecs.ssh(SRC, "true", port));
        launcher.start(TestSpecs.ssh(DST, "true"));
        door.open(SRC, "127.0.0.1", port, List.of());
        door.updateTickets(SRC, Set.of(sha256(TICKET.getBytes(StandardCharsets.UTF_8))));
    }

    @AfterAll
    void removeEverything() throws IOException {
        door.close();
        for (long id : launcher.known()) launcher.destroy(id);
        try (Stream<Path> all = Files.walk(state)) {
            for (Path p : all.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
        }
    }

    /** What a pull reported, in order. */
    static final class Reports implements CopyPull.Progress {
        final List<String> reports = new ArrayList<>();
        final List<String> notes = new ArrayList<>();

        @Override
        public synchronized void report(long copyId, String state, String message) {
            reports.add(state + ": " + message);
        }

        @Override
        public synchronized void note(long instanceId, String line) {
            notes.add(instanceId + ": " + line);
        }

        synchronized String last() {
            return reports.isEmpty() ? "" : reports.get(reports.size() - 1);
        }
    }

    Reports pull(String ticket, String srcPath, String dstPath) {
        Reports r = new Reports();
        new CopyPull(
                        launcher,
                        DST,
                        new CopyTask(nextCopy++, CopyTask.PULL, ticket, "", SRC, "127.0.0.1", port, srcPath, dstPath),
                        r)
                .run();
        return r;
    }

    void inside(long id, String command) throws Exception {
        Process p = launcher.exec(id, List.of("sh", "-c", command), java.util.Map.of(), false);
        p.getOutputStream().close();
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor()).as(err).isZero();
    }

    Path root(long id) {
        return launcher.instanceDir(id).resolve("root");
    }

    @Test
    void a_tree_arrives_byte_for_byte_and_a_second_copy_sends_almost_nothing() throws Exception {
        Path tree = root(SRC).resolve("tree");
        Files.createDirectories(tree.resolve("sub"));
        byte[] big = randomBytes(8 * 1024 * 1024, 1);
        Files.write(tree.resolve("big.bin"), big);
        Files.writeString(tree.resolve("sub/small.txt"), "small\n");
        Files.createSymbolicLink(tree.resolve("link"), Path.of("sub/small.txt"));

        long before = door.traffic().bytesOut();
        Reports first = pull(TICKET, "/root/tree/", "/root/got/");
        assertThat(first.last()).isEqualTo("done: copy from C.1 finished");
        assertThat(first.notes).first().isEqualTo(DST + ": copy from C.1: connecting");
        Path got = root(DST).resolve("got");
        assertThat(Files.mismatch(tree.resolve("big.bin"), got.resolve("big.bin")))
                .isEqualTo(-1);
        assertThat(Files.readString(got.resolve("sub/small.txt"))).isEqualTo("small\n");
        assertThat(Files.readSymbolicLink(got.resolve("link"))).isEqualTo(Path.of("sub/small.txt"));
        assertThat(door.traffic().bytesOut() - before).isGreaterThan(big.length);

        long again = door.traffic().bytesOut();
        assertThat(pull(TICKET, "/root/tree/", "/root/got/").last()).isEqualTo("done: copy from C.1 finished");
        assertThat(door.traffic().bytesOut() - again).isLessThan(64 * 1024);
    }

    @Test
    void a_copy_resumed_after_an_interruption_sends_only_what_had_not_arrived() throws Exception {
        Path from = Files.createDirectories(root(SRC).resolve("resume"));
        byte[] big = randomBytes(16 * 1024 * 1024, 2);
        Files.write(from.resolve("big.bin"), big);
        // what an interrupted attempt leaves (rsync --partial keeps the part that arrived under the file's name),
        // put there by the instance's own root, as rsync inside it would have
        Files.write(root(DST).resolve("part.bin"), java.util.Arrays.copyOf(big, big.length * 3 / 4));
        inside(DST, "mkdir /root/resumed && cp /root/part.bin /root/resumed/big.bin");
        Path into = root(DST).resolve("resumed");

        long before = door.traffic().bytesOut();
        assertThat(pull(TICKET, "/root/resume/", "/root/resumed/").last()).isEqualTo("done: copy from C.1 finished");
        assertThat(Files.mismatch(from.resolve("big.bin"), into.resolve("big.bin")))
                .isEqualTo(-1);
        long sent = door.traffic().bytesOut() - before;
        assertThat(sent).isLessThan(big.length / 3).isGreaterThan(big.length / 5);
    }

    @Test
    void a_wrong_ticket_is_not_let_in_and_the_pull_ends_failed_after_its_retries() {
        Reports r = pull("not-the-ticket", "/root/", "/root/nothing/");
        assertThat(r.last()).startsWith("failed: copy from C.1 failed: ");
        assertThat(root(DST).resolve("nothing")).doesNotExist();
    }

    static byte[] randomBytes(int n, long seed) {
        byte[] b = new byte[n];
        new Random(seed).nextBytes(b);
        return b;
    }

    static String sha256(byte[] data) throws NoSuchAlgorithmException {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
    }
}
