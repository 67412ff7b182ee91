package io.gpumarket.cli.command;

import io.gpumarket.cli.client.ClientCommand;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * [Host] {@code list volume ID… [-s GB] [-p $/GB/month] [-e END]}: {@code POST /api/v0/volumes/} with one machine id
 * or, for several, a list (vastai's {@code list volume} and {@code list volumes}).
 */
@Command(
        name = "volume",
        aliases = "volumes",
        mixinStandardHelpOptions = true,
        description = "[Host] Offer disk space of machines for volumes.")
public final class ListVolumeCommand extends ClientCommand {
    @Parameters(arity = "1..*", paramLabel = "ID", description = "machine id(s)")
    List<Long> ids;

    @Option(
            names = {"-s", "--size"},
            defaultValue = "15",
            description = "GB offered (default ${DEFAULT-VALUE})")
    long size;

    @Option(
            names = {"-p", "--price_disk", "--price-disk"},
            defaultValue = "0.10",
            description = "$/GB/month (default ${DEFAULT-VALUE})")
    double priceDisk;

    @Option(
            names = {"-e", "--end_date", "--end-date"},
            description = "when the offer ends (unix seconds)")
    Double endDate;

    @Override
    protected int run() {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("size", size);
        body.put("machine", ids.size() == 1 ? ids.get(0) : new ArrayList<>(ids));
        body.put("price_disk", priceDisk);
        if (endDate != null) body.put("end_date", endDate);
        var answer = api().post("/volumes/", body);
        if (raw()) printJson(answer);
        else out().println("Created. " + repr(answer));
        return 0;
    }
}
