package io.gpumarket.server.http;

import io.gpumarket.core.search.Explain;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The answer to "why are there no offers?": how many offers were considered, and for each filter in query
 * order how many it removed from those the earlier filters let through ({@code eliminated}) and how many it
 * would remove on its own ({@code failing_alone}).
 */
final class ExplainView {
    private ExplainView() {}

    static Map<String, Object> of(Explain e) {
        List<Map<String, Object>> filters = e.steps().stream()
                .map(s -> {
                    Map<String, Object> f = new LinkedHashMap<>();
                    f.put("key", s.key());
                    f.put("field", s.field());
                    f.put("op", s.op());
                    f.put("value", s.value());
                    f.put("eliminated", s.eliminated());
                    f.put("failing_alone", s.failingAlone());
                    return f;
                })
                .toList();
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("considered", e.considered());
        view.put("filters", filters);
        view.put("matched", e.matched());
        return view;
    }
}
