package io.gpumarket.cli.command;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.gpumarket.api.Wire;
import io.gpumarket.cli.client.Failure;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** A role's permissions as vastai takes them: a JSON file's path (or, ours, the JSON itself). */
final class TeamRolePermissions {
    private TeamRolePermissions() {}

    static Object read(String fileOrJson) throws IOException {
        String text = fileOrJson.strip().startsWith("{")
                ? fileOrJson
                : Files.readString(Path.of(fileOrJson), java.nio.charset.StandardCharsets.UTF_8);
        try {
            return Wire.mapper().readValue(text, Object.class);
        } catch (JsonProcessingException e) {
            throw new Failure("Error: the permissions are not valid JSON: " + e.getOriginalMessage());
        }
    }
}
