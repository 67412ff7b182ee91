package io.gpumarket.cli.command;

import com.fasterxml.jackson.databind.JsonNode;
import io.gpumarket.cli.client.ClientCommand;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code create connection NAME --endpoint URL --access-key-id K}: adds an S3-compatible cloud connection, {@code POST
 * /api/v0/users/cloud_integrations/} (Vast adds them in its web console). The secret key is read from {@code
 * GPUMARKET_S3_SECRET} or one line of standard input, never taken on the command line, where other users of the machine could read it.
 */
@Command(
        name = "connection",
        mixinStandardHelpOptions = true,
        description = "Add an S3-compatible cloud connection for cloud copy.")
public final class CreateConnectionCommand extends ClientCommand {
    @Parameters(index = "0", paramLabel = "NAME")
    String name;

    @Option(names = "--endpoint", description = "the storage's URL (not needed for --provider AWS)")
    String endpoint;

    @Option(
            names = "--provider",
            defaultValue = "Other",
            description = "rclone's s3 provider: AWS, Minio, Ceph … Other")
    String provider;

    @Option(names = "--region", description = "the storage's region")
    String region;

    @Option(names = "--access-key-id", required = true, description = "the access key id")
    String accessKeyId;

    @Override
    protected int run() throws java.io.IOException {
        String secret = env().var("GPUMARKET_S3_SECRET");
        if (secret == null || secret.isEmpty()) {
            err().print("Secret access key (one line on standard input): ");
            err().flush();
            secret = new java.io.BufferedReader(
                            new java.io.InputStreamReader(env().in(), java.nio.charset.StandardCharsets.UTF_8))
                    .readLine();
            if (secret == null || secret.isBlank()) {
                err().println("no secret access key: set GPUMARKET_S3_SECRET or give it on standard input");
                return 2;
            }
        }
        JsonNode answer = api().post(
                        "/users/cloud_integrations/",
                        body(
                                "name", name,
                                "cloud_type", "s3",
                                "provider", provider,
                                "endpoint", endpoint,
                                "region", region,
                                "access_key_id", accessKeyId,
                                "secret_access_key", secret));
        if (raw()) {
            printJson(answer);
            return 0;
        }
        return reportSuccess(
                answer,
                "Cloud connection " + name + " added with id "
                        + answer.path("id").asText());
    }
}
