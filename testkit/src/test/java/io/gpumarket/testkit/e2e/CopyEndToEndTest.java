package io.gpumarket.testkit.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.gpumarket.testkit.Http;
import io.gpumarket.testkit.Ssh;
import io.gpumarket.testkit.TestServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * vastai's copy between a renter's machine and an instance, end to end: a real server, a real agent in its own JVM,
 * process instances, the stock ssh and rsync run exactly as vastai's {@code copy} runs them ({@code rsync -arz -v
 * --progress --rsh=ssh -e "ssh -p PORT -o StrictHostKeyChecking=no" SRC vastai_kaalia@ADDR::ID/path}) after {@code
 * PUT /commands/rsync/}. The agent's door serves rsync's daemon inside the instance, confined to it.
 */
class CopyEndToEndTest {
    @TempDir
    static Path dir;

    static LiveMarket market;
    static long id;
    static int port;

    @BeforeAll
    static void start() throws Exception {
        market = new LiveMarket(TestServer.start(), dir);
        id = market.rent("true");
        port = market.awaitRunning(id);
    }

    @AfterAll
    static void stop() throws Exception {
        market.close();
    }

    static Http.Response rsyncRoute(String srcId, String srcPath, String dstId, String dstPath) {
        return Http.put(
                market.server.api() + "/commands/rsync/",
                market.renter.key(),
                "{\"client_id\": \"me\", \"src_id\": " + json(srcId) + ", \"dst_id\": " + json(dstId)
                        + ", \"src_path\": " + json(srcPath) + ", \"dst_path\": " + json(dstPath) + "}");
    }

    static String json(String s) {
        return s == null ? "null" : "\"" + s + "\"";
    }

    /** vastai's own rsync line ({@code vastai/cli/commands/storage.py}), with the test's identity. */
    static Ssh.Result vastaiRsync(int door, String from, String to) {
        return rsync("-arz", door, from, to);
    }

    static Ssh.Result rsync(String flags, int door, String from, String to) {
        List<String> ssh = new ArrayList<>(List.of("ssh"));
        ssh.addAll(market.ssh.options());
        ssh.addAll(List.of("-p", Integer.toString(door), "-o", "StrictHostKeyChecking=no"));
        return market.ssh.tool(
                List.of("rsync", flags, "-v", "--progress", "--rsh=ssh", "-e", String.join(" ", ssh), from, to));
    }

    @Test
    void a_tree_goes_into_an_instance_and_back_byte_for_byte_through_vastai_kaalia_and_the_audit_log_shows_it()
            throws Exception {
        Path data = CopyTrees.tree(dir.resolve("up/data"));
        var up = rsyncRoute(null, data.toString(), "C." + id, "/workspace/");
        assertThat(up.status()).as(up.body()).isEqualTo(200);
        assertThat(up.json().get("dst_addr").asText()).isEqualTo("127.0.0.1");
        assertThat(up.json().get("dst_port").asInt()).isEqualTo(port);
        var sent = vastaiRsync(port, data.toString(), "vastai_kaalia@127.0.0.1::C." + id + "//workspace/");
        assertThat(sent.exitCode()).as(sent.output()).isZero();
        assertThat(market.exec(port, "sha256sum /workspace/data/big.bin").output())
                .startsWith(CopyTrees.sha256(data.resolve("big.bin")));

        Path back = Files.createDirectories(dir.resolve("down"));
        var down = rsyncRoute("C." + id, "/workspace/data", null, back.toString());
        assertThat(down.status()).as(down.body()).isEqualTo(200);
        assertThat(down.json().get("src_port").asInt()).isEqualTo(port);
        var got = vastaiRsync(port, "vastai_kaalia@127.0.0.1::" + id + "//workspace/data", back.toString());
        assertThat(got.exitCode()).as(got.output()).isZero();
        assertThat(CopyTrees.contents(back.resolve("data")))
                .isEqualTo(CopyTrees.contents(data))
                .hasSize(6);

        long recorded = 0;
        for (var e : Http.get(market.server.api() + "/audit_logs/", market.renter.key())
                .json()) if (e.get("api_route").asText().equals("/api/v0/commands/rsync/")) recorded++;
        assertThat(recorded).isEqualTo(2);
    }

    @Test
    void the_daemon_is_confined_to_the_instance_symlinks_and_dot_dots_reach_nothing_of_the_host() throws Exception {
        Path secret = Files.writeString(dir.resolve("host-secret.txt"), "the host's own\n");
        assertThat(market.exec(port, "ln -sfn " + secret + " /root/escape && ln -sfn / /root/rootlink")
                        .exitCode())
                .isZero();
        Path out = Files.createDirectories(dir.resolve("escape"));
        // -L: the daemon follows symlinks itself and sends what they point at, as it sees it
        for (String flags : List.of("-arz", "-arzL"))
            for (String path : List.of("/root/escape", "/root/rootlink" + secret, "/../../../../.." + secret)) {
                var r = rsync(flags, port, "vastai_kaalia@127.0.0.1::" + id + "/" + path, out + "/");
                assertThat(r.output()).doesNotContain("the host's own");
            }
        // what came back as a file (symlinks came back as symlinks: they point into this test's host, not read)
        try (var files = Files.walk(out)) {
            for (Path p : files.filter(p -> Files.isRegularFile(p, java.nio.file.LinkOption.NOFOLLOW_LINKS))
                    .toList()) assertThat(Files.readString(p)).doesNotContain("the host's own");
        }
    }

    @Test
    void another_instances_id_is_an_unknown_module_and_vastai_kaalia_gets_no_shell() throws Exception {
        long other = market.rent("true");
        market.awaitRunning(other);
        Path out = Files.createDirectories(dir.resolve("other"));
        var r = vastaiRsync(port, "vastai_kaalia@127.0.0.1::" + other + "//root/", out + "/");
        assertThat(r.exitCode()).as(r.output()).isEqualTo(5);
        assertThat(r.output()).contains("Unknown module '" + other + "'");

        List<String> shell = new ArrayList<>(List.of("ssh"));
        shell.addAll(market.ssh.options());
        shell.addAll(List.of("-p", Integer.toString(port), "vastai_kaalia@127.0.0.1", "id"));
        assertThat(market.ssh.tool(shell).exitCode()).isEqualTo(1);
        Http.call("DELETE", market.server.api() + "/instances/" + other + "/", market.renter.key(), "{}");
    }

    @Test
    void the_route_refuses_two_local_ends_someone_elses_instance_and_volumes() {
        var bothLocal = rsyncRoute(null, "/a", "local", "/b");
        assertThat(bothLocal.status()).isEqualTo(400);
        assertThat(bothLocal.json().get("error").asText()).isEqualTo("invalid_args");
        var stranger = market.server.newRenter(10);
        var foreign = Http.put(
                market.server.api() + "/commands/rsync/",
                stranger.key(),
                "{\"src_id\": null, \"dst_id\": \"" + id + "\", \"src_path\": \"/a\", \"dst_path\": \"/b\"}");
        assertThat(foreign.status()).isEqualTo(404);
        assertThat(foreign.json().get("error").asText()).isEqualTo("no_such_instance");
        var volume = rsyncRoute(null, "/a", "V.3", "/b");
        assertThat(volume.status()).isEqualTo(400);
        assertThat(volume.json().get("error").asText()).isEqualTo("unsupported");
    }
}
