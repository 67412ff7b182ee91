package io.gpumarket.testkit.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.gpumarket.server.http.PrefixRouter;
import io.gpumarket.testkit.TestServer;
import io.javalin.config.JavalinState;
import io.javalin.http.HandlerType;
import io.javalin.router.InternalRouter;
import io.javalin.router.ParsedEndpoint;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@link PrefixRouter} answers every path with the route Javalin's own search answers: the server's whole route
 * table (API and console) is registered again in a plain Javalin router, in the same order, and both are asked for
 * paths made from every route — its parameters filled in, with and without the trailing slash, with a segment more,
 * in upper case, with a doubled slash — and for paths no route has.
 */
class RouteLookupTest {
    @RegisterExtension
    static final TestServer server = TestServer.builder().perClass();

    @Test
    void the_server_uses_the_prefix_router() {
        assertThat(server.app().httpRouter()).isInstanceOf(PrefixRouter.class);
    }

    @Test
    void every_path_finds_the_route_javalins_own_search_finds() {
        InternalRouter ours = server.app().httpRouter();
        List<ParsedEndpoint> registered = ours.allHttpHandlers();
        assertThat(registered).hasSizeGreaterThan(200);
        JavalinState fresh = new JavalinState();
        InternalRouter javalins =
                new InternalRouter(fresh.wsRouter, fresh.eventManager, ((PrefixRouter) ours).config(), fresh.jetty);
        for (ParsedEndpoint p : registered) javalins.addHttpEndpoint(p.endpoint);

        Set<HandlerType> types = new LinkedHashSet<>();
        Set<String> paths = new LinkedHashSet<>(List.of("/", "", "/api", "/api/v0/", "/nope", "/api/v0/nope/1/"));
        for (ParsedEndpoint p : registered) {
            types.add(p.endpoint.method);
            paths.addAll(samples(p.endpoint.path));
        }
        int compared = 0;
        for (HandlerType type : types) {
            for (String path : paths) {
                ParsedEndpoint expected = javalins.findFirstHttpHandlerEntry(type, path);
                ParsedEndpoint actual = ours.findFirstHttpHandlerEntry(type, path);
                assertThat(actual == null ? null : actual.endpoint)
                        .as("%s %s", type, path)
                        .isSameAs(expected == null ? null : expected.endpoint);
                assertThat(ours.hasHttpHandlerEntry(type, path))
                        .as("has %s %s", type, path)
                        .isEqualTo(javalins.hasHttpHandlerEntry(type, path));
                assertThat(ours.findHttpHandlerEntries(type, path).stream()
                                .map(e -> e.endpoint)
                                .toList())
                        .as("all %s %s", type, path)
                        .isEqualTo(javalins.findHttpHandlerEntries(type, path).stream()
                                .map(e -> e.endpoint)
                                .toList());
                if (expected != null) compared++;
            }
        }
        assertThat(compared).as("paths that found a route").isGreaterThan(registered.size());
    }

    /** Request paths a route's pattern should (or should not) match. */
    private static List<String> samples(String routePath) {
        List<String> out = new ArrayList<>();
        for (String fill : List.of("42", "abc-1", "a.b")) {
            String p = routePath
                    .replaceAll("\\{[^}]+}", fill)
                    .replaceAll("<[^>]+>", fill + "/x")
                    .replace("*", fill);
            String bare = p.endsWith("/") && p.length() > 1 ? p.substring(0, p.length() - 1) : p;
            out.add(p);
            out.add(bare);
            out.add(bare + "/");
            out.add(bare + "/more");
            out.add(bare.toUpperCase(Locale.ROOT));
            out.add(bare.replaceFirst("/", "//"));
        }
        return out;
    }
}
