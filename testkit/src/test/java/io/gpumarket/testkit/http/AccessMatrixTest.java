package io.gpumarket.testkit.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.gpumarket.server.http.Access;
import io.gpumarket.server.http.Router;
import io.gpumarket.testkit.Http;
import io.gpumarket.testkit.http.RouteFixtures.Entry;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Who may call what, route by route: for every route the server registers ({@code ServerApp.routes()}), every kind
 * of caller is tried, on the owner's resource and on a missing one. Only the owner's full key (and, on routes
 * that act on the caller's own account, anyone's full key) succeeds; every other cell is refused, and each
 * refusal reads exactly the same whether the resource exists or not, so no cell learns that another user's
 * resource exists. Public routes answer everyone alike; agent routes take machine tokens, never API keys. Team
 * members (docs/teams.md) whose role lacks a route's category are refused it naming the role, a removed member's
 * team key is refused at once (it was used, and so cached, just before the removal), and a subaccount of the owner
 * reaches the owner's things no more than another user does.
 */
class AccessMatrixTest {
    static MatrixMarket m;
    static Map<String, Entry> fixtures;

    @BeforeAll
    static void start() {
        m = new MatrixMarket();
        fixtures = RouteFixtures.all(m);
    }

    @AfterAll
    static void stop() {
        m.close();
    }

    /** The cells, in the order they run: the owner last, since its call may change or consume the resource. */
    enum Cell {
        NO_KEY("no key is refused"),
        EXPIRED("an expired key of the owner is refused"),
        OTHER_INSTANCE_KEY("another instance's own key is refused"),
        LIMITED_TO_OTHER_INSTANCE("a key limited to another instance is refused"),
        WITHOUT_CATEGORY("a scoped key of the owner without the route's category is refused naming it"),
        TEAM_ROLE_WITHOUT_CATEGORY("a team member whose role lacks the route's category is refused naming the role"),
        REMOVED_MEMBER("a removed team member's key is refused"),
        SUBACCOUNT("a subaccount of the owner's"),
        OTHER_USER("another user's full key"),
        OWNER("the owner's full key succeeds");

        final String sentence;

        Cell(String sentence) {
            this.sentence = sentence;
        }
    }

    @Test
    void every_registered_route_has_an_entry_and_every_entry_a_route() {
        List<String> registered = m.server.app().routes().stream()
                .map(r -> r.method() + " " + r.path())
                .toList();

        assertThat(registered)
                .as("routes without an entry in RouteFixtures")
                .allSatisfy(r -> assertThat(fixtures).containsKey(r));
        assertThat(fixtures.keySet())
                .as("entries without a route")
                .allSatisfy(f -> assertThat(registered).contains(f));
    }

    @Test
    void every_route_declares_the_scope_the_spec_gives_it_and_a_name_to_grant_it_by() {
        for (Router.Route r : m.server.app().routes()) {
            Entry e = fixtures.get(r.method() + " " + r.path());
            if (e == null) continue; // reported by the test above
            assertThat(r.access()).as(r.toString()).isEqualTo(e.access);
            if (r.access().isCategory()) assertThat(r.name()).as(r.toString()).matches("api(\\.[a-z0-9_]+)+");
        }
    }

    @TestFactory
    Stream<DynamicContainer> every_route_answers_every_kind_of_caller_as_it_should() {
        return m.server.app().routes().stream()
                .sorted(Comparator.comparing(Router.Route::path).thenComparing(Router.Route::method))
                .filter(r -> fixtures.containsKey(r.method() + " " + r.path()))
                .map(r -> {
                    Entry e = fixtures.get(r.method() + " " + r.path());
                    RouteRun run = new RouteRun(r, e);
                    return DynamicContainer.dynamicContainer(
                            e.route() + " (" + r.access().name().toLowerCase() + ")",
                            Stream.of(Cell.values())
                                    .map(c -> DynamicTest.dynamicTest(run.sentence(c), () -> run.check(c))));
                });
    }

    /** One route's cells, sharing the target made when the first runs. */
    static final class RouteRun {
        final Router.Route route;
        final Entry entry;
        Map<String, String> target;

        RouteRun(Router.Route route, Entry entry) {
            this.route = route;
            this.entry = entry;
        }

        String sentence(Cell c) {
            if (route.access() == Access.PUBLIC || (route.anonymous() && c == Cell.NO_KEY)) {
                return c.sentence.replaceAll(" (is refused.*|succeeds)$", "") + " is answered as anyone is";
            }
            if (c == Cell.OTHER_USER || c == Cell.SUBACCOUNT) {
                if (c == Cell.SUBACCOUNT && entry.notForSubaccounts) return c.sentence + " is refused";
                return c.sentence
                        + (entry.othersMayUse
                                ? " acts on its own account only"
                                : entry.target != null ? " is answered as for a missing resource" : " is refused");
            }
            return c.sentence;
        }

        void check(Cell cell) {
            if (target == null) target = entry.target == null ? Map.of() : entry.target.get();
            if (entry.targetPerCall && (cell == Cell.OWNER || cell == Cell.OTHER_USER)) target = entry.target.get();
            String key = key(cell);
            Http.Response onTarget = call(key, target);
            Http.Response onMissing = entry.target == null ? null : call(key, missing());
            if (route.access() == Access.PUBLIC || (route.anonymous() && cell == Cell.NO_KEY)) {
                assertThat(onTarget.status()).as(onTarget.body()).isEqualTo(200);
                return;
            }
            if (cell == Cell.OWNER) {
                assertThat(onTarget.status()).as(onTarget.body()).isEqualTo(200);
                if (entry.shows != null)
                    assertThat(entry.shows.test(onTarget))
                            .as("the owner sees their resource: " + onTarget.body())
                            .isTrue();
                return;
            }
            boolean otherAccount = cell == Cell.OTHER_USER || cell == Cell.SUBACCOUNT;
            if (cell == Cell.SUBACCOUNT && entry.notForSubaccounts) {
                assertThat(onTarget.status()).as(onTarget.body()).isEqualTo(400);
                return;
            }
            if (otherAccount && entry.othersMayUse && route.access() != Access.AGENT) {
                assertThat(onTarget.status()).as(onTarget.body()).isEqualTo(200);
                if (entry.shows != null)
                    assertThat(entry.shows.test(onTarget))
                            .as("leaks the owner's resource: " + onTarget.body())
                            .isFalse();
                return;
            }
            if (onMissing != null) {
                assertThat(normal(onTarget, target))
                        .as("the answer tells an existing resource from a missing one")
                        .isEqualTo(normal(onMissing, missing()));
            }
            if (otherAccount && route.access().isCategory()) {
                assertThat(onTarget.status()).as(onTarget.body()).isIn(200, 403, 404);
                if (onTarget.status() == 200)
                    assertThat(onTarget.json().path("instances").isNull())
                            .as(onTarget.body())
                            .isTrue();
                return;
            }
            assertThat(onTarget.json().get("success").asBoolean(true)).isFalse();
            String msg = onTarget.json().get("msg").asText();
            switch (cell) {
                case NO_KEY -> {
                    assertThat(onTarget.status()).isEqualTo(403);
                    assertThat(onTarget.json().get("error").asText()).isEqualTo("auth_error");
                }
                case EXPIRED, REMOVED_MEMBER -> {
                    assertThat(onTarget.status()).as(onTarget.body()).isEqualTo(401);
                    assertThat(onTarget.json().get("error").asText()).isEqualTo("auth_error");
                }
                default -> {
                    if (route.access() == Access.AGENT) {
                        assertThat(onTarget.status()).as(onTarget.body()).isEqualTo(401);
                        assertThat(msg).isEqualTo("Invalid machine token");
                    } else if (route.access() == Access.ADMIN) {
                        assertThat(onTarget.status()).as(onTarget.body()).isEqualTo(403);
                        assertThat(msg).isEqualTo("This route needs an admin key with full access.");
                    } else if (cell == Cell.TEAM_ROLE_WITHOUT_CATEGORY) {
                        String category = route.access().category();
                        assertThat(onTarget.status()).as(onTarget.body()).isEqualTo(403);
                        assertThat(onTarget.json().get("error").asText()).isEqualTo("not_authorized");
                        assertThat(msg)
                                .isEqualTo("the team role 'without_" + category + "' lacks permission " + category
                                        + " for " + route.name());
                    } else {
                        assertThat(onTarget.status()).as(onTarget.body()).isEqualTo(403);
                        assertThat(onTarget.json().get("error").asText()).isEqualTo("not_authorized");
                        assertThat(msg)
                                .startsWith("this key lacks permission "
                                        + route.access().category() + " for " + route.name());
                        if (cell == Cell.WITHOUT_CATEGORY) {
                            assertThat(msg)
                                    .isEqualTo("this key lacks permission "
                                            + route.access().category() + " for " + route.name());
                        }
                    }
                }
            }
        }

        /** The key a cell calls with (null: none). */
        String key(Cell cell) {
            MatrixMarket.Keys k = m.keys(entry.owner);
            return switch (cell) {
                case NO_KEY -> null;
                case EXPIRED -> k.expired();
                case OTHER_INSTANCE_KEY -> k.otherInstanceKey();
                case LIMITED_TO_OTHER_INSTANCE -> k.limitedToOtherInstance();
                case WITHOUT_CATEGORY ->
                    route.access().isCategory()
                            ? k.withoutCategory().get(route.access().category())
                            : k.withoutCategory().get("misc");
                case TEAM_ROLE_WITHOUT_CATEGORY ->
                    m.memberWithout.get(
                            route.access().isCategory() ? route.access().category() : "misc");
                case REMOVED_MEMBER -> m.removedMemberKey;
                case SUBACCOUNT -> m.aliceSub.key();
                case OTHER_USER -> m.bob.key();
                case OWNER -> entry.ownerKey != null ? entry.ownerKey.get() : m.ownerKey(entry.owner);
            };
        }

        Map<String, String> missing() {
            Map<String, String> none = new LinkedHashMap<>(target);
            none.putAll(entry.missing);
            return none;
        }

        Http.Response call(String key, Map<String, String> values) {
            String path = route.path();
            String query = entry.query;
            String body = entry.body();
            for (Map.Entry<String, String> v : values.entrySet()) {
                path = path.replace("{" + v.getKey() + "}", v.getValue());
                query = query.replace("$" + v.getKey(), v.getValue());
                body = body.replace("$" + v.getKey(), v.getValue());
            }
            return Http.call(
                    route.method(), m.server.url() + path + (path.endsWith("/") ? "" : "/") + query, key, body);
        }

        /** Status and body with the values that name the resource replaced by their names. */
        static String normal(Http.Response r, Map<String, String> values) {
            List<Map.Entry<String, String>> longestFirst = new ArrayList<>(values.entrySet());
            longestFirst.sort(Comparator.comparing(
                            (Map.Entry<String, String> v) -> v.getValue().length())
                    .reversed());
            String body = r.body();
            for (Map.Entry<String, String> v : longestFirst) {
                // whole tokens only: id 20 must not turn "2025" into "$id25"
                body = body.replaceAll(
                        "(?<![0-9A-Za-z])" + Pattern.quote(v.getValue()) + "(?![0-9A-Za-z])",
                        Matcher.quoteReplacement("$" + v.getKey()));
            }
            return r.status() + " " + body;
        }
    }
}
