package io.gpumarket.cli.command;

import io.gpumarket.cli.client.ClientCommand;
import io.gpumarket.cli.query.OfferSearch;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code migrate instance ID --to OFFER | --query '…'}: {@code PUT /api/v0/instances/migrate/{id}/} (docs/migrate.md).
 * The instance (stopped first if it runs) is copied to the offer's machine and started there with the same id; the
 * query is the offer search's language, and the best matching offer of another machine with the instance's GPU count
 * is taken.
 */
@Command(
        name = "instance",
        mixinStandardHelpOptions = true,
        description =
                "Move an instance (its disk, id, label, env, keys, image and onstart) to another machine's offer.")
public final class MigrateInstanceCommand extends ClientCommand {
    @Parameters(index = "0", paramLabel = "ID")
    long id;

    @ArgGroup(multiplicity = "1")
    Target target;

    static final class Target {
        @Option(names = "--to", paramLabel = "OFFER", description = "the offer (of another machine) to move to")
        Long offer;

        @Option(
                names = "--query",
                paramLabel = "QUERY",
                description = "an offer query, as 'search offers' takes it; the best match is taken")
        String query;
    }

    @Override
    protected int run() throws java.io.IOException, InterruptedException {
        Map<String, Object> body;
        if (target.offer != null) {
            body = body("offer_id", target.offer);
        } else {
            Map<String, Object> q =
                    new OfferSearch(List.of(target.query), false, null, null, null, 0).body(err()::println);
            q.remove("allocated_storage"); // the server asks for the instance's own disk
            body = body("q", q);
        }
        var answer = api().put("/instances/migrate/" + id + "/", body);
        return reportSuccess(answer, answer.path("msg").asText("Moving instance " + id + "."));
    }
}
