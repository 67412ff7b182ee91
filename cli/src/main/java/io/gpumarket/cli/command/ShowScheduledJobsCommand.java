package io.gpumarket.cli.command;

import com.fasterxml.jackson.databind.JsonNode;
import io.gpumarket.cli.client.ClientCommand;
import io.gpumarket.cli.client.Table;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import picocli.CommandLine.Command;

/** {@code show scheduled-jobs}: {@code GET /api/v0/commands/schedule_job/}, in vastai's columns. */
@Command(name = "scheduled-jobs", mixinStandardHelpOptions = true, description = "Show your scheduled jobs.")
public final class ShowScheduledJobsCommand extends ClientCommand {
    private static final DateTimeFormatter UTC =
            DateTimeFormatter.ofPattern("yyyy-MM-dd/HH:mm").withZone(ZoneOffset.UTC);
    static final List<Table.Column> COLUMNS = List.of(
            Table.Column.of("id", "Scheduled Job ID", "{}"),
            Table.Column.of("instance_id", "Instance ID", "{}"),
            Table.Column.of("api_endpoint", "API Endpoint", "{}"),
            Table.Column.of("start_time", "Start (Date/Time in UTC)", "{}", ShowScheduledJobsCommand::date),
            Table.Column.of("end_time", "End (Date/Time in UTC)", "{}", ShowScheduledJobsCommand::date),
            Table.Column.of("day_of_the_week", "Day of the Week", "{}"),
            Table.Column.of("hour_of_the_day", "Hour of the Day in UTC", "{}"),
            Table.Column.of("min_of_the_hour", "Minute of the Hour", "{}"),
            Table.Column.of("frequency", "Frequency", "{}"));

    private static Object date(Object seconds) {
        if (!(seconds instanceof Number n)) return seconds;
        return UTC.format(Instant.ofEpochMilli((long) (n.doubleValue() * 1000)));
    }

    @Override
    protected int run() {
        JsonNode rows = api().get("/commands/schedule_job/");
        if (raw()) printJson(rows);
        else printTable(list(rows), COLUMNS);
        return 0;
    }
}
