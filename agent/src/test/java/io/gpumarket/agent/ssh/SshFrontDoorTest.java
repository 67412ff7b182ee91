package io.gpumarket.agent.ssh;

import static io.gpumarket.agent.ssh.OpenSsh.remote;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.gpumarket.agent.launcher.Sessions;
import io.gpumarket.agent.launcher.TestSpecs;
import io.gpumarket.agent.launcher.process.ProcessLauncher;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;

/**
 * The SSH front door against stock OpenSSH clients, with sessions running in real process-launched instances.
 * One instance is shared by the tests that only read or add files; tests that change keys or listeners get their own.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(120)
class SshFrontDoorTest {
    private static final long SHARED = 1;

    Path state;
    ProcessLauncher launcher;
    SshFrontDoor door;
    OpenSsh renter;
    int port;

    @BeforeAll
    void startAnInstanceBehindItsFrontDoor() throws Exception {
        state = Files.createTempDirectory("gpumarket-ssh-test-");
        launcher = new ProcessLauncher(state.resolve("instances"));
        door = new SshFrontDoor(state.resolve("ssh"), launcher);
        renter = OpenSsh.withNewKey(state.resolve("renter"), "ed25519");
        port = instanceBehindDoor(SHARED, List.of(renter.publicKey()));
    }

    @AfterAll
    void removeEverything() throws IOException {
        door.close();
        for (long id : launcher.known()) launcher.destroy(id);
        try (Stream<Path> all = Files.walk(state)) {
            for (Path p : all.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
        }
    }

    int instanceBehindDoor(long id, List<String> keys) throws Exception {
        int p = OpenSsh.freePort();
        launcher.start(TestSpecs.ssh(id, "echo hello > /root/from-onstart", p));
        door.open(id, "127.0.0.1", p, keys);
        assertThat(door.isOpen(id)).isTrue();
        return p;
    }

    @Test
    void exec_runs_inside_the_instance_and_passes_the_exit_status_back() throws Exception {
        assertThat(renter.ssh(port, "exit 7").exit()).isEqualTo(7);

        OpenSsh.Result r = renter.ssh(
                port,
                "hostname; pwd; echo $CONTAINER_ID $VAST_TCP_PORT_22; ls /proc | grep -c '^[0-9]'; echo oops >&2");
        assertThat(r.exit()).isZero();
        assertThat(r.out()).startsWith("C.1\n/root\n1 " + port + "\n");
        assertThat(r.err()).isEqualTo("oops\n");
    }

    @Test
    void stdin_is_passed_through_to_the_end_and_its_eof_ends_the_command() throws Exception {
        byte[] data = randomBytes(3 * 1024 * 1024, 1);

        OpenSsh.Result r = renter.ssh(port, List.of(), "sha256sum", data);
        assertThat(r.exit()).isZero();
        assertThat(r.out()).startsWith(sha256(data) + " ");
    }

    @Test
    void a_shell_with_a_pty_works_with_ssh_tt() throws Exception {
        OpenSsh.Result r = renter.ssh(
                port,
                List.of("-tt"),
                null,
                "tty; echo answer=$((6*7)); test -t 0 && echo stdin-is-a-terminal; exit 5\n".getBytes());

        assertThat(r.exit()).isEqualTo(5);
        assertThat(r.out()).contains("/dev/pts/", "answer=42", "stdin-is-a-terminal");
    }

    @Test
    void a_shell_without_a_pty_reads_its_commands_from_stdin() throws Exception {
        OpenSsh.Result r =
                renter.ssh(port, List.of("-T"), null, "echo sum=$((2+3)); test -t 0 || echo no-terminal\n".getBytes());

        assertThat(r.exit()).isZero();
        assertThat(r.out()).isEqualTo("sum=5\nno-terminal\n");
    }

    @Test
    void scp_copies_10_MB_up_and_down_byte_for_byte_in_sftp_and_legacy_mode() throws Exception {
        Path local = state.resolve("renter/ten-mb.bin");
        Files.write(local, randomBytes(10 * 1024 * 1024, 2));
        Path root = launcher.instanceDir(SHARED).resolve("root");

        for (boolean legacy : List.of(false, true)) {
            String name = legacy ? "up-legacy.bin" : "up-sftp.bin";
            OpenSsh.Result up = renter.scp(port, legacy, local.toString(), remote("/root/" + name));
            assertThat(up.exit()).as(up.err()).isZero();
            assertThat(Files.mismatch(local, root.resolve(name))).isEqualTo(-1);

            Path back = state.resolve("renter/down-" + name);
            OpenSsh.Result down = renter.scp(port, legacy, remote("/root/" + name), back.toString());
            assertThat(down.exit()).as(down.err()).isZero();
            assertThat(Files.mismatch(local, back)).isEqualTo(-1);
        }
    }

    @Test
    void rsync_copies_a_tree_up_and_down_identically() throws Exception {
        Path tree = state.resolve("renter/tree");
        Files.createDirectories(tree.resolve("sub"));
        Files.write(tree.resolve("big.bin"), randomBytes(3 * 1024 * 1024, 3));
        Files.writeString(tree.resolve("sub/small.txt"), "small\n");

        OpenSsh.Result up = renter.rsync(port, tree + "/", remote("/workspace/tree/"));
        assertThat(up.exit()).as(up.err()).isZero();
        Path inside = launcher.instanceDir(SHARED).resolve("workspace/tree");
        assertThat(Files.mismatch(tree.resolve("big.bin"), inside.resolve("big.bin")))
                .isEqualTo(-1);
        assertThat(inside.resolve("sub/small.txt")).hasContent("small");

        Path back = state.resolve("renter/tree-back");
        OpenSsh.Result down = renter.rsync(port, remote("/workspace/tree/"), back + "/");
        assertThat(down.exit()).as(down.err()).isZero();
        assertThat(Files.mismatch(tree.resolve("big.bin"), back.resolve("big.bin")))
                .isEqualTo(-1);
        assertThat(back.resolve("sub/small.txt")).hasContent("small");
    }

    @Test
    void sftp_lists_and_fetches_in_the_instances_view_of_the_file_system() throws Exception {
        Path fetched = state.resolve("renter/fetched");
        OpenSsh.Result r = renter.sftp(port, "pwd\nls -1 /\nls -1 /root\nget /root/from-onstart " + fetched + "\n");

        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).contains("Remote working directory: /root", "/workspace", "from-onstart");
        assertThat(fetched).hasContent("hello");
    }

    @Test
    void many_concurrent_sessions_each_get_their_own_output_and_status() throws Exception {
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<OpenSsh.Result>> sessions = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                int n = i;
                sessions.add(pool.submit(
                        () -> renter.ssh(port, "head -c 200000 /dev/zero | wc -c; echo session-" + n + "; exit " + n)));
            }
            for (int i = 0; i < sessions.size(); i++) {
                OpenSsh.Result r = sessions.get(i).get();
                assertThat(r.exit()).as(r.err()).isEqualTo(i);
                assertThat(r.out()).isEqualTo("200000\nsession-" + i + "\n");
            }
        }
    }

    @Test
    void a_client_that_goes_away_ends_its_command_inside_the_instance() throws Exception {
        Process client = renter.start(port, "sleep 3210");
        await().atMost(Duration.ofSeconds(20))
                .until(() ->
                        Sessions.run(launcher, SHARED, "pgrep -f 'sleep 3210'").exit() == 0);

        client.destroyForcibly();
        await().atMost(Duration.ofSeconds(20))
                .until(() ->
                        Sessions.run(launcher, SHARED, "pgrep -f 'sleep 3210'").exit() == 1);
    }

    @Test
    void a_key_not_in_the_list_is_refused() throws Exception {
        OpenSsh stranger = OpenSsh.withNewKey(state.resolve("stranger"), "ed25519");

        OpenSsh.Result r = stranger.ssh(port, "true");
        assertThat(r.exit()).isEqualTo(255);
        // a key, or a copy ticket's password (vastai_kaalia only, docs/copy.md): nothing prompts for anything else
        assertThat(r.err()).contains("Permission denied (publickey,password)");
    }

    @Test
    void updated_keys_let_new_connections_in_and_keep_removed_ones_out_with_every_key_type() throws Exception {
        OpenSsh ed25519 = OpenSsh.withNewKey(state.resolve("k-ed25519"), "ed25519");
        OpenSsh rsa = OpenSsh.withNewKey(state.resolve("k-rsa"), "rsa");
        OpenSsh ecdsa = OpenSsh.withNewKey(state.resolve("k-ecdsa"), "ecdsa");
        int p = instanceBehindDoor(2, List.of(ed25519.publicKey()));
        assertThat(rsa.ssh(p, "true").exit()).isEqualTo(255);

        door.updateKeys(
                2, List.of(ed25519.publicKey() + "\n" + rsa.publicKey(), "no-such-key-type AAAA", ecdsa.publicKey()));
        for (OpenSsh k : List.of(ed25519, rsa, ecdsa))
            assertThat(k.ssh(p, "echo in").out()).isEqualTo("in\n");

        door.updateKeys(2, List.of(ecdsa.publicKey()));
        assertThat(ed25519.ssh(p, "true").exit()).isEqualTo(255);
        assertThat(rsa.ssh(p, "true").exit()).isEqualTo(255);
        assertThat(ecdsa.ssh(p, "true").exit()).isZero();
    }

    @Test
    void a_stopped_instance_refuses_sessions_with_a_reason_and_destroy_closes_its_port() throws Exception {
        int p = instanceBehindDoor(3, List.of(renter.publicKey()));
        assertThat(renter.ssh(p, "true").exit()).isZero();

        launcher.stop(3, Duration.ofSeconds(2));
        OpenSsh.Result stopped = renter.ssh(p, "true");
        assertThat(stopped.exit()).isEqualTo(255);
        assertThat(stopped.err()).contains("instance 3 is not running");

        door.close(3);
        launcher.destroy(3);
        assertThat(door.isOpen(3)).isFalse();
        OpenSsh.Result refused = renter.ssh(p, "true");
        assertThat(refused.exit()).isEqualTo(255);
        assertThat(refused.err()).contains("Connection refused");
    }

    @Test
    void the_host_key_stays_the_same_for_a_new_front_door_on_the_same_state() throws Exception {
        int p = instanceBehindDoor(4, List.of(renter.publicKey()));
        assertThat(renter.ssh(p, "true").exit()).isZero(); // learns the host key
        door.close(4);

        try (SshFrontDoor again = new SshFrontDoor(state.resolve("ssh"), launcher)) {
            assertThat(again.hostKeyFingerprint()).isEqualTo(door.hostKeyFingerprint());
            again.open(4, "127.0.0.1", p, List.of(renter.publicKey()));
            OpenSsh.Result strict = renter.strictHostKeys().ssh(p, "echo same-key");
            assertThat(strict.out()).as(strict.err()).isEqualTo("same-key\n");
        }
        OpenSsh.Result keygen = OpenSsh.exec(
                state,
                List.of(
                        "ssh-keygen",
                        "-l",
                        "-f",
                        state.resolve("ssh/ssh_host_ed25519_key").toString()),
                null);
        assertThat(keygen.out()).as("an OpenSSH-format key file").contains(door.hostKeyFingerprint(), "(ED25519)");
    }

    private static byte[] randomBytes(int size, long seed) {
        byte[] data = new byte[size];
        new Random(seed).nextBytes(data);
        return data;
    }

    private static String sha256(byte[] data) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
    }
}
