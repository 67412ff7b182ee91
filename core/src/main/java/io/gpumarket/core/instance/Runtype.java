package io.gpumarket.core.instance;

import io.gpumarket.core.error.DomainException;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Set;

/**
 * How an instance is launched: {@code ssh} (our SSH front door, image entrypoint replaced), {@code jupyter} (the
 * same plus a Jupyter port) or {@code args} (the image's own entrypoint with the renter's arguments).
 *
 * <p>Clients spell it two ways (docs/vast-compatibility.md §f.3, §i.9): the documented single words ({@code ssh}, {@code ssh_direct},
 * {@code ssh_proxy}, {@code jupyter}, {@code jupyter_direct}, {@code jupyter_proxy}, {@code args}) and the vastai
 * CLI's space-separated tokens with the truncated {@code _direc} ({@code "jupyter_direc ssh_direc ssh_proxy"}).
 * Both normalise to one of the three kinds; the text as sent is kept for {@code image_runtype}.
 */
public enum Runtype {
    SSH,
    JUPYTER,
    ARGS;

    private static final Set<String> TOKENS = Set.of(
            "ssh",
            "ssh_proxy",
            "ssh_direc",
            "ssh_direct",
            "jupyter",
            "jupyter_proxy",
            "jupyter_direc",
            "jupyter_direct",
            "args");

    /** The normalised kind and the client's tokens (single spaces), which {@code image_runtype} shows. */
    public record Parsed(Runtype kind, String tokens) {}

    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * @param text      the request's runtype; null or blank means the default
     * @param hasArgs   whether the request carries args or args_str: the default is then {@code args}, else
     *                  {@code ssh} ("If omitted, defaults to 'ssh' unless args/args_str is provided")
     */
    public static Parsed parse(String text, boolean hasArgs) {
        if (text == null || text.isBlank()) return hasArgs ? new Parsed(ARGS, "args") : new Parsed(SSH, "ssh");
        Set<String> tokens = new LinkedHashSet<>();
        for (String t : text.strip().toLowerCase(Locale.ROOT).split("\\s+")) {
            if (!TOKENS.contains(t)) {
                throw new DomainException.BadRequest(
                        "invalid_args",
                        "runtype: unknown token '" + t + "'; expected ssh, "
                                + "ssh_direct, ssh_proxy, jupyter, jupyter_direct, jupyter_proxy or args (the CLI's "
                                + "'ssh_direc ssh_proxy' form is understood too)");
            }
            tokens.add(t);
        }
        boolean jupyter = tokens.stream().anyMatch(t -> t.startsWith("jupyter"));
        if (tokens.contains("args")) {
            if (jupyter)
                throw new DomainException.BadRequest("invalid_args", "runtype: 'args' cannot be combined with jupyter");
            return new Parsed(ARGS, String.join(" ", tokens));
        }
        return new Parsed(jupyter ? JUPYTER : SSH, String.join(" ", tokens));
    }

    /** Parses the stored normalised form. */
    public static Runtype fromWire(String wire) {
        return valueOf(wire.toUpperCase(Locale.ROOT));
    }
}
