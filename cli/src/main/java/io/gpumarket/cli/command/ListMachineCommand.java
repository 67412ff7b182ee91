package io.gpumarket.cli.command;

import com.fasterxml.jackson.databind.JsonNode;
import io.gpumarket.cli.client.ClientCommand;
import io.gpumarket.cli.query.Py;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code list machine ID}: offers the machine for rent, {@code PUT /api/v0/machines/create_asks/} with vastai's
 * body (every price key, unset ones null so the server keeps the current or default terms).
 */
@Command(
        name = "machine",
        mixinStandardHelpOptions = true,
        description = "[Host] List a machine for rent with its prices.",
        footer = {"", "Example: gpumarket list machine 7 -g 0.40 -s 0.10 -u 0.01 -d 0.01 -b 0.20 -m 1 -l '30 days'"})
public final class ListMachineCommand extends ClientCommand {
    @Parameters(index = "0", paramLabel = "ID")
    long id;

    @Option(
            names = {"-g", "--price_gpu"},
            description = "$/hour per GPU (on-demand)")
    Double priceGpu;

    @Option(
            names = {"-s", "--price_disk"},
            description = "$/GB/month of disk (default 0.10)")
    Double priceDisk;

    @Option(
            names = {"-u", "--price_inetu"},
            description = "$/GB uploaded")
    Double priceInetu;

    @Option(
            names = {"-d", "--price_inetd"},
            description = "$/GB downloaded")
    Double priceInetd;

    @Option(
            names = {"-b", "--price_min_bid"},
            description = "$/hour per GPU: the lowest bid accepted")
    Double priceMinBid;

    @Option(
            names = {"-r", "--discount_rate"},
            description = "largest prepay discount, a fraction (default 0.4)")
    Double discountRate;

    @Option(
            names = {"-m", "--min_chunk"},
            defaultValue = "1",
            description = "fewest GPUs per rental (default ${DEFAULT-VALUE})")
    int minChunk;

    @Option(
            names = {"-e", "--end_date"},
            description = "offers end then: epoch seconds or MM/DD/YYYY")
    String endDate;

    @Option(
            names = {"-l", "--duration"},
            description = "offers run this long from now, renewed daily: '30 days', '2 weeks', or seconds")
    String duration;

    @Option(
            names = {"-v", "--vol_size"},
            description = "GB offered as a volume")
    Integer volSize;

    @Option(
            names = {"-z", "--vol_price"},
            description = "$/GB/month of the volume offer")
    Double volPrice;

    @Override
    protected int run() {
        Double end = endDate == null ? null : epoch(endDate);
        JsonNode answer = api().put(
                        "/machines/create_asks/",
                        body(
                                "machine",
                                id,
                                "price_gpu",
                                priceGpu,
                                "price_disk",
                                priceDisk,
                                "price_inetu",
                                priceInetu,
                                "price_inetd",
                                priceInetd,
                                "price_min_bid",
                                priceMinBid,
                                "min_chunk",
                                minChunk,
                                "end_date",
                                end,
                                "credit_discount_max",
                                discountRate,
                                "duration",
                                duration,
                                "vol_size",
                                volSize,
                                "vol_price",
                                volPrice));
        String done = "offers created/updated for machine " + id + ",  @ $"
                + (priceGpu == null ? "def" : Py.floatRepr(priceGpu))
                + "/gpu/hr, $" + str(priceInetu) + "/GB up, $" + str(priceInetd) + "/GB down, " + minChunk
                + "/min gpus, max discount_rate "
                + str(discountRate) + ", duration " + (duration == null ? "None" : duration);
        int code = reportSuccess(answer, done);
        if (code == 0 && !raw() && answer.path("extended").asInt(0) > 0) {
            out().println("extended " + answer.path("extended").asInt() + " client contracts to " + endDate);
        }
        return code;
    }

    private static String str(Double d) {
        return d == null ? "None" : Py.floatRepr(d);
    }

    /** vastai's string_to_unix_epoch: a number as is, else MM/DD/YYYY at UTC midnight. */
    private static double epoch(String value) {
        try {
            return Py.parseFloat(value);
        } catch (RuntimeException notANumber) {
            try {
                return LocalDate.parse(value, DateTimeFormatter.ofPattern("MM/dd/uuuu"))
                        .atStartOfDay(ZoneOffset.UTC)
                        .toEpochSecond();
            } catch (DateTimeParseException e) {
                throw new IllegalArgumentException(
                        "--end_date '" + value + "' is neither epoch seconds nor MM/DD/YYYY");
            }
        }
    }
}
