package io.gpumarket.cli.command;

import com.fasterxml.jackson.databind.JsonNode;
import io.gpumarket.cli.client.ClientCommand;
import io.gpumarket.cli.client.Columns;
import io.gpumarket.cli.client.Dates;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code show earnings}: a host's earnings from {@code GET /api/v0/users/me/machine-earnings} (docs/vast-compatibility.md §b.6; the
 * window is sent as days since the epoch, {@code sday}/{@code eday}, as vastai sends it), a week by default.
 */
@Command(name = "earnings", mixinStandardHelpOptions = true, description = "[Host] Show what your machines earned.")
public final class ShowEarningsCommand extends ClientCommand {
    private static final double DAY = 86400.0;

    @Option(
            names = {"-s", "--start_date"},
            description = "YYYY-MM-DD or epoch seconds")
    String start;

    @Option(
            names = {"-e", "--end_date"},
            description = "YYYY-MM-DD or epoch seconds (default: now)")
    String end;

    @Option(
            names = {"-m", "--machine_id"},
            description = "only this machine")
    Long machine;

    @Override
    protected int run() {
        long[] window = Dates.window(start, end, Instant.now());
        Map<String, Object> query = new LinkedHashMap<>();
        query.put("owner", "me");
        query.put("sday", window[0] / DAY);
        query.put("eday", window[1] / DAY);
        query.put("machid", machine);
        JsonNode answer = api().get("/users/me/machine-earnings", query);
        if (raw()) {
            printJson(answer);
            return 0;
        }
        JsonNode s = answer.path("summary");
        out().println("Earnings from " + Dates.day(window[0]) + " to " + Dates.day(window[1]) + ":");
        out().println(String.format(
                Locale.ROOT,
                "  GPU $%.4f  storage $%.4f  net up $%.4f  net down $%.4f",
                s.path("total_gpu").asDouble(0),
                s.path("total_stor").asDouble(0),
                s.path("total_bwu").asDouble(0),
                s.path("total_bwd").asDouble(0)));
        printTable(list(answer.path("per_machine")), Columns.EARNINGS_PER_MACHINE);
        return 0;
    }
}
