package io.gpumarket.app.command;

import static org.assertj.core.api.Assertions.assertThat;

import io.gpumarket.app.Main;
import io.gpumarket.cli.client.CliEnv;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class AgentInstallCommandTest {
    @TempDir
    Path root;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int install(String... flags) {
        List<String> args = new ArrayList<>(List.of("agent", "install", "--prefix", root.toString()));
        args.addAll(List.of(flags));
        CliEnv env = CliEnv.captured(
                Map.of(),
                new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return Main.run(env, args.toArray(String[]::new));
    }

    /** The config file read back the way the unit's ExecStart reads it: {@code gpumarket agent @FILE}. */
    private AgentOptions readBack(Path config) {
        AgentCommand agent = new AgentCommand();
        new CommandLine(agent).parseArgs("@" + config);
        return agent.agent;
    }

    @Test
    void install_writes_a_private_config_that_the_agent_reads_back_as_the_same_flags() throws IOException {
        String token = "tok#en \"with\" odd\\chars";
        int rc = install(
                "--server",
                "https://market.example:8443",
                "--token",
                token,
                "--location",
                "Oslo, NO",
                "--ports",
                "41000-41099",
                "--allow-weak-isolation",
                "--launcher",
                "/opt/gpumarket/bin/gpumarket");

        assertThat(rc).as(err.toString(StandardCharsets.UTF_8)).isZero();
        Path config = root.resolve("etc/gpumarket/agent.conf");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(config)))
                .isEqualTo("rw-------");
        AgentOptions back = readBack(config);
        assertThat(back.server).isEqualTo("https://market.example:8443");
        assertThat(back.token).isEqualTo(token);
        assertThat(back.location).isEqualTo("Oslo, NO");
        assertThat(back.ports).isEqualTo("41000-41099");
        assertThat(back.allowWeakIsolation).isTrue();
        // flags not given stay out of the file, so a newer agent's defaults apply after an upgrade
        assertThat(Files.readString(config)).doesNotContain("--public-ip", "--runtime", "--gpu-ram");
    }

    @Test
    void the_unit_runs_the_launcher_with_the_config_file_and_nothing_is_started_under_a_prefix() throws IOException {
        int rc = install(
                "--server", "http://10.0.0.1:8080",
                "--token", "t0ken",
                "--config", "/srv/gpumarket/agent-1.conf",
                "--unit-dir", "/usr/lib/systemd/system",
                "--launcher", "/usr/local/gpumarket/bin/gpumarket");

        assertThat(rc).as(err.toString(StandardCharsets.UTF_8)).isZero();
        String unit = Files.readString(root.resolve("usr/lib/systemd/system/gpumarket-agent.service"));
        assertThat(unit)
                .contains("ExecStart=/usr/local/gpumarket/bin/gpumarket agent @/srv/gpumarket/agent-1.conf\n")
                .contains("KillMode=process")
                .doesNotContain("/opt/gpumarket/bin/gpumarket agent", "t0ken");
        assertThat(readBack(root.resolve("srv/gpumarket/agent-1.conf")).token).isEqualTo("t0ken");
        assertThat(out.toString(StandardCharsets.UTF_8))
                .contains("systemctl daemon-reload")
                .contains("systemctl enable --now gpumarket-agent.service");
    }

    @Test
    void install_refuses_flags_the_agent_would_refuse_and_writes_nothing() {
        assertThat(install("--server", "market.example", "--token", "t", "--launcher", "/opt/gpumarket/bin/gpumarket"))
                .isEqualTo(1);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("--server must be an http(s) URL");
        assertThat(install("--server", "http://m:8080", "--launcher", "/opt/gpumarket/bin/gpumarket"))
                .isEqualTo(1);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("--token");
        assertThat(install("--token", "t", "--launcher", "/opt/gpumarket/bin/gpumarket"))
                .isEqualTo(1);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("--server (the market's URL) is required");
        assertThat(install("--server", "http://m:8080", "--token", "t", "--launcher", "bin/gpumarket"))
                .isEqualTo(1);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("--launcher must be an absolute path");
        assertThat(root.resolve("etc")).doesNotExist();
    }

    @Test
    void a_reinstall_replaces_the_token_and_keeps_the_file_private() throws IOException {
        String[] common = {"--server", "http://m:8080", "--launcher", "/opt/gpumarket/bin/gpumarket", "--token"};
        assertThat(install(concat(common, "first"))).isZero();
        assertThat(install(concat(common, "second"))).isZero();
        Path config = root.resolve("etc/gpumarket/agent.conf");
        assertThat(readBack(config).token).isEqualTo("second");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(config)))
                .isEqualTo("rw-------");
        try (var files = Files.list(config.getParent())) {
            assertThat(files).containsExactly(config); // no temporary file left beside it
        }
    }

    private static String[] concat(String[] a, String b) {
        String[] all = java.util.Arrays.copyOf(a, a.length + 1);
        all[a.length] = b;
        return all;
    }
}
