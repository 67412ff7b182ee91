package io.gpumarket.cli.command;

import com.fasterxml.jackson.databind.JsonNode;
import io.gpumarket.cli.client.ClientCommand;
import io.gpumarket.cli.client.Failure;
import io.gpumarket.cli.client.Processes;
import io.gpumarket.cli.client.SshKeys;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code create ssh-key [KEY|FILE]}: adds a public key to the account ({@code POST /api/v0/ssh/}); it reaches your
 * instances within seconds. Without an argument it uses {@code ~/.ssh/id_ed25519.pub}, generating that key pair
 * first (with {@code ssh-keygen}, after asking unless {@code -y}) when there is none.
 */
@Command(name = "ssh-key", mixinStandardHelpOptions = true, description = "Add an SSH public key to your account.")
public final class CreateSshKeyCommand extends ClientCommand {
    @Parameters(index = "0", arity = "0..1", paramLabel = "KEY", description = "the public key, or a .pub file")
    String key;

    @Option(
            names = {"-y", "--yes"},
            description = "generate ~/.ssh/id_ed25519 without asking when it is missing")
    boolean yes;

    @Override
    protected int run() throws IOException, InterruptedException {
        String publicKey = SshKeys.publicKey(key != null ? key : defaultKey().toString());
        JsonNode answer = api().post("/ssh/", body("ssh_key", publicKey));
        if (raw()) {
            printJson(answer);
        } else {
            out().println("ssh-key created: id "
                    + answer.path("key").path("id").asText(answer.path("id").asText("?")));
        }
        return 0;
    }

    private Path defaultKey() throws IOException, InterruptedException {
        String home = env().var("HOME") != null ? env().var("HOME") : System.getProperty("user.home");
        Path pub = Path.of(home, ".ssh", "id_ed25519.pub");
        if (Files.isRegularFile(pub)) return pub;
        Path priv = Path.of(home, ".ssh", "id_ed25519");
        if (Files.exists(priv))
            throw new Failure("error: " + priv + " exists without its .pub; give the public key as an argument");
        if (!yes && !confirm("No " + pub + " yet. Generate a new Ed25519 key pair there (no passphrase)? [y/N] ")) {
            throw new Failure("Aborted.");
        }
        Files.createDirectories(priv.getParent());
        Processes.require(env(), "ssh-keygen");
        int code = Processes.run(env(), List.of("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", priv.toString()));
        if (code != 0) throw new Failure("error: ssh-keygen failed with exit code " + code);
        out().println("Generated " + priv + " and " + pub);
        return pub;
    }
}
