package io.gpumarket.cli.command;

import com.fasterxml.jackson.databind.JsonNode;
import io.gpumarket.cli.client.ClientCommand;
import io.gpumarket.cli.client.Columns;
import io.gpumarket.cli.query.TemplateSearch;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * {@code search templates '<query>'}: the offer query language over template fields (docs/vast-compatibility.md §e.4 example 12),
 * sent as {@code GET /api/v0/template/?select_cols=["*"]&select_filters=…}.
 */
@Command(
        name = "templates",
        mixinStandardHelpOptions = true,
        description = "Search your and public templates, e.g. 'use_ssh=true name=pytorch'.",
        footer = {
            "",
            "Fields: creator_id created_at count_created default_tag docker_login_repo id image jup_direct hash_id",
            "private name recent_create_date recommended_disk_space recommended ssh_direct tag use_ssh"
        })
public final class SearchTemplatesCommand extends ClientCommand {
    @Parameters(arity = "0..*", paramLabel = "QUERY", description = "the query (quote it)")
    List<String> query;

    @Override
    protected int run() {
        Map<String, Object> filters = TemplateSearch.selectFilters(query, err()::println);
        JsonNode answer = api().get("/template/", body("select_cols", List.of("*"), "select_filters", filters));
        JsonNode templates = answer.isArray() ? answer : answer.path("templates");
        if (raw()) printJson(templates);
        else printTable(list(templates), Columns.TEMPLATES);
        return 0;
    }
}
