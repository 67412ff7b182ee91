package io.gpumarket.cli.command;

import com.fasterxml.jackson.databind.JsonNode;
import io.gpumarket.api.Wire;
import io.gpumarket.cli.client.ClientCommand;
import io.gpumarket.cli.client.Failure;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code create api-key --name N --permission_file F}: {@code POST /api/v0/auth/apikeys/} with the permission
 * document of the file (docs/vast-compatibility.md §g.3, e.g. {@code {"api": {"instance_read": {}}}}); prints the new key (shown once).
 */
@Command(
        name = "api-key",
        mixinStandardHelpOptions = true,
        description = "Create an API key with the permissions of a JSON file.")
public final class CreateApiKeyCommand extends ClientCommand {
    @Option(names = "--name", description = "the key's name")
    String name;

    @Option(
            names = "--permission_file",
            description = "JSON permission document, e.g. {\"api\": {\"instance_read\": {}}}")
    Path permissionFile;

    @Option(names = "--key_params", description = "wildcard key params for advanced keys")
    String keyParams;

    @Option(names = "--ttl", description = "the key expires after this many seconds (beyond vastai)")
    Long ttl;

    @Override
    protected int run() throws IOException {
        Object permissions = null;
        if (permissionFile != null) {
            try {
                permissions = Wire.mapper().readValue(Files.readString(permissionFile), Object.class);
            } catch (NoSuchFileException e) {
                throw new Failure("Error: Permission file '" + permissionFile + "' not found.");
            } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                throw new Failure(
                        "Error: Permission file '" + permissionFile + "' is not JSON: " + e.getOriginalMessage());
            }
        }
        var body = body("name", name, "permissions", permissions, "key_params", keyParams);
        if (ttl != null) body.put("ttl_seconds", ttl);
        JsonNode answer = api().post("/auth/apikeys/", body);
        if (raw()) printJson(answer);
        else out().println("api-key created " + repr(answer));
        return 0;
    }
}
