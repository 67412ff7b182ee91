package io.gpumarket.core.template;

import io.gpumarket.core.instance.Env;
import io.gpumarket.core.instance.EnvPair;
import io.gpumarket.core.instance.RentFields;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Creating an instance from a template (docs/vast-compatibility.md §g.1 "precedence rules"): the template is the base and the request
 * overrides it. Scalars (image, onstart, runtype, args_str, disk): a field the request gives wins, one it leaves
 * out (or sends as null, as the vastai CLI does) comes from the template; {@code args} only ever comes from the
 * request. {@code env}: the template's Docker-flag string is read as the request's dict would be, and the two
 * are merged by key, the request winning; the template's keys keep their order, the request's new ones follow.
 * The disk default is the template's {@code recommended_disk_space}. Offer filters: the template's
 * {@code extra_filters} and the request's query merged by key, the request winning.
 */
public final class TemplateLaunch {
    private TemplateLaunch() {}

    public static RentFields apply(TemplateContent t, RentFields r) {
        String image = r.image() == null || r.image().isBlank() ? t.imageRef() : r.image();
        Map<String, String> env = new LinkedHashMap<>();
        for (EnvPair p : Env.parse(t.env())) env.put(p.key(), p.value());
        for (EnvPair p : Env.parse(r.env())) env.put(p.key(), p.value());
        String runtype = r.runtype() == null || r.runtype().isBlank() ? t.runtype() : r.runtype();
        return new RentFields(
                image,
                env,
                r.onstart() != null ? r.onstart() : t.onstart(),
                r.args(),
                r.argsStr() != null ? r.argsStr() : t.argsStr(),
                runtype,
                r.label(),
                r.disk() != null ? r.disk() : t.recommendedDiskSpace(),
                r.targetState(),
                r.cancelUnavail(),
                r.price(),
                r.imageLogin());
    }

    /** The offer query of a launch: the template's extra_filters under the request's {@code q}, key by key. */
    public static Map<String, Object> filters(TemplateContent t, Map<String, Object> q) {
        Map<String, Object> merged = new LinkedHashMap<>(t == null ? Map.of() : t.extraFilters());
        if (q != null) merged.putAll(q);
        return merged;
    }
}
