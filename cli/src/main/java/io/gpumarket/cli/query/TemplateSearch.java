package io.gpumarket.cli.query;

import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The {@code select_filters} of {@code search templates} (docs/vast-compatibility.md §e.4 example 12): the same grammar over the
 * template fields, no defaults, no aliases, and the date fields turned into epoch seconds (MM/DD/YYYY as UTC
 * midnight, or a number as is), as vastai's {@code fix_date_fields} does.
 */
public final class TemplateSearch {
    private static final DateTimeFormatter US_DATE = DateTimeFormatter.ofPattern("MM/dd/uuuu");

    private TemplateSearch() {}

    @SuppressWarnings("unchecked")
    public static Map<String, Object> selectFilters(List<String> query, Consumer<String> warnings) {
        Map<String, Object> filters = QueryParser.parse(query, Map.of(), QueryFields.TEMPLATES, warnings);
        for (String field : QueryFields.TEMPLATE_DATES) {
            if (!(filters.get(field) instanceof Map<?, ?> condition)) continue;
            Map<String, Object> epochs = new LinkedHashMap<>();
            ((Map<String, Object>) condition).forEach((op, v) -> epochs.put(op, epoch(v)));
            filters.put(field, epochs);
        }
        return filters;
    }

    private static Object epoch(Object value) {
        if (value == null) return null;
        if (value instanceof Boolean b) return b ? 1.0 : 0.0;
        if (!(value instanceof String s)) throw new QueryException("a date takes one value, not " + Py.repr(value));
        try {
            return Py.parseFloat(s);
        } catch (QueryException notANumber) {
            try {
                return (double)
                        LocalDate.parse(s, US_DATE).atStartOfDay(ZoneOffset.UTC).toEpochSecond();
            } catch (DateTimeParseException e) {
                throw new QueryException("time data " + Py.repr(s) + " does not match format '%m/%d/%Y'");
            }
        }
    }
}
