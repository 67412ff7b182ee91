package io.gpumarket.cli.command;

import com.fasterxml.jackson.databind.JsonNode;
import io.gpumarket.cli.client.ClientCommand;
import io.gpumarket.cli.client.Columns;
import picocli.CommandLine.Command;

/** {@code show audit-logs}: {@code GET /api/v0/audit_logs/}, in vastai's columns. */
@Command(name = "audit-logs", mixinStandardHelpOptions = true, description = "Show your account's audit log.")
public final class ShowAuditLogsCommand extends ClientCommand {
    @Override
    protected int run() {
        JsonNode rows = api().get("/audit_logs/");
        if (raw()) printJson(rows);
        else printTable(list(rows), Columns.AUDIT_LOGS);
        return 0;
    }
}
