package io.gpumarket.testkit.http;

import static io.gpumarket.server.http.Access.ADMIN;
import static io.gpumarket.server.http.Access.AGENT;
import static io.gpumarket.server.http.Access.BILLING_READ;
import static io.gpumarket.server.http.Access.BILLING_WRITE;
import static io.gpumarket.server.http.Access.INSTANCE_READ;
import static io.gpumarket.server.http.Access.INSTANCE_WRITE;
import static io.gpumarket.server.http.Access.MACHINE_READ;
import static io.gpumarket.server.http.Access.MACHINE_WRITE;
import static io.gpumarket.server.http.Access.MISC;
import static io.gpumarket.server.http.Access.PUBLIC;
import static io.gpumarket.server.http.Access.TEAM_READ;
import static io.gpumarket.server.http.Access.TEAM_WRITE;
import static io.gpumarket.server.http.Access.USER_READ;
import static io.gpumarket.server.http.Access.USER_WRITE;
import static io.gpumarket.testkit.http.MatrixMarket.MISSING_HASH;
import static io.gpumarket.testkit.http.MatrixMarket.MISSING_ID;

import io.gpumarket.server.http.Access;
import io.gpumarket.testkit.Http;
import io.gpumarket.testkit.http.MatrixMarket.Owner;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * One entry per registered route for {@link AccessMatrixTest}: how to call it on the owner's resource and on a
 * missing one, and what its owner and other users may do. A route registered without an entry here fails the
 * matrix, so every new route gets one.
 *
 * <p>Placeholders: {@code {name}} in the path and {@code $name} in the query and body take the target's values.
 */
final class RouteFixtures {
    /** One route's entry. */
    static final class Entry {
        final String method;
        final String path;
        /** The route's scope per the spec's table (§a.5, §b, §g.3), or PUBLIC / ADMIN / AGENT for ours. */
        final Access access;

        Owner owner = Owner.ALICE;
        Supplier<Map<String, String>> target;
        Map<String, String> missing;
        String query = "";
        String body = "{}";
        Supplier<String> freshBody;
        boolean othersMayUse;
        boolean targetPerCall;
        Predicate<Http.Response> shows;
        /** The key the owner's cell calls with, when it is not the owner's full key (an invitee's, a new team's). */
        Supplier<String> ownerKey;
        /** A subaccount's full key is refused this route for its own reasons (it may not make subaccounts). */
        boolean notForSubaccounts;

        Entry(String method, String path, Access access) {
            this.method = method;
            this.path = path;
            this.access = access;
            if (access == Access.ADMIN) owner = Owner.ADMIN;
            if (access == Access.AGENT) owner = Owner.MACHINE;
        }

        String route() {
            return method + " " + path;
        }

        /**
         * The owner's resource, made when the route's cells start; and the values that make it name no resource (the
         * target's other values stay).
         */
        Entry target(Supplier<Map<String, String>> t, Map<String, String> none) {
            target = t;
            missing = none;
            return this;
        }

        Entry query(String q) {
            query = q;
            return this;
        }

        Entry body(String b) {
            body = b;
            return this;
        }

        /** A new body for every call (creations that must not repeat). */
        Entry body(Supplier<String> b) {
            freshBody = b;
            return this;
        }

        /** Another user's key succeeds too: the route acts on the caller's own account (a list, a creation, renting). */
        Entry othersMayUse() {
            othersMayUse = true;
            return this;
        }

        /** Each successful call consumes its target, so every call gets a new one. */
        Entry targetPerCall() {
            targetPerCall = true;
            return this;
        }

        Entry owner(Owner o) {
            owner = o;
            return this;
        }

        Entry ownerKey(Supplier<String> k) {
            ownerKey = k;
            return this;
        }

        Entry notForSubaccounts() {
            notForSubaccounts = true;
            return this;
        }

        /** Whether an answer shows the owner's resource: true for the owner's call, false for anyone else's. */
        Entry shows(Predicate<Http.Response> p) {
            shows = p;
            return this;
        }

        String body() {
            return freshBody != null ? freshBody.get() : body;
        }
    }

    private RouteFixtures() {}

    static Map<String, Entry> all(MatrixMarket m) {
        String id = MISSING_ID;
        List<Entry> e = new ArrayList<>();
        // Account
        e.add(new Entry("GET", "/api/v0/users/current", USER_READ)
                .othersMayUse()
                .shows(r -> r.body().contains(m.aliceEmail)));
        e.add(new Entry("PUT", "/api/v0/users", USER_WRITE)
                .body("{\"fullname\": \"Someone\"}")
                .othersMayUse());
        e.add(new Entry("PUT", "/api/v0/users/current/password", USER_WRITE)
                .body("{\"password\": \"a-console-password\"}")
                .othersMayUse());
        e.add(new Entry("POST", "/api/v0/ssh", USER_WRITE)
                .body(() -> "{\"ssh_key\": \"" + io.gpumarket.testkit.TestKeys.ed25519("n") + "\"}")
                .othersMayUse());
        e.add(new Entry("GET", "/api/v0/ssh", USER_READ)
                .othersMayUse()
                .shows(r -> r.body().contains(MatrixMarket.SECRET_SSH_KEY)));
        e.add(new Entry("PUT", "/api/v0/ssh/{id}", USER_WRITE)
                .target(() -> Map.of("id", m.sharedSshKeyId), Map.of("id", id))
                .body(() -> "{\"ssh_key\": \"" + io.gpumarket.testkit.TestKeys.ed25519("replaced") + "\"}"));
        e.add(new Entry("DELETE", "/api/v0/ssh/{id}", USER_WRITE)
                .target(() -> Map.of("id", m.freshSshKey("gone")), Map.of("id", id)));
        // account env vars act on the caller's own account; PUT and DELETE name a variable both users hold
        e.add(new Entry("GET", "/api/v0/secrets", USER_READ)
                .othersMayUse()
                .shows(r -> r.body().contains("ALICE_SECRET_VAR")));
        e.add(new Entry("POST", "/api/v0/secrets", USER_WRITE)
                .body(() -> "{\"key\": \"NEW_" + m.serial() + "\", \"value\": \"v\"}")
                .othersMayUse());
        e.add(new Entry("PUT", "/api/v0/secrets", USER_WRITE)
                .body(() -> "{\"key\": \"" + m.freshEnvVarOfBoth() + "\", \"value\": \"changed\"}")
                .othersMayUse());
        e.add(new Entry("DELETE", "/api/v0/secrets", USER_WRITE)
                .body(() -> "{\"key\": \"" + m.freshEnvVarOfBoth() + "\"}")
                .othersMayUse());
        // notifications (docs/webhooks.md): the caller's own preferences, webhooks and events
        e.add(new Entry("GET", "/api/v0/notification-types", USER_READ).othersMayUse());
        e.add(new Entry("GET", "/api/v0/users/{user}/notification-prefs", USER_READ)
                .target(() -> Map.of("user", Long.toString(m.alice.id())), Map.of("user", id)));
        e.add(new Entry("PUT", "/api/v0/users/{user}/notification-prefs", USER_WRITE)
                .target(() -> Map.of("user", Long.toString(m.alice.id())), Map.of("user", id))
                .body("{\"notification_preferences\": {\"client\": {\"low_credit\": {\"email\": true}}}}"));
        e.add(new Entry("GET", "/api/v0/webhooks", USER_READ)
                .othersMayUse()
                .shows(r -> r.body().contains(MatrixMarket.SECRET_WEBHOOK)));
        e.add(new Entry("POST", "/api/v0/webhooks", USER_WRITE)
                .body(() -> "{\"webhook_url\": \"" + m.receiver.url() + "\", \"event_types\": [\"client:low_credit\"]}")
                .othersMayUse());
        e.add(new Entry("PUT", "/api/v0/webhooks/{id}", USER_WRITE)
                .target(() -> Map.of("id", m.freshWebhook("changed")), Map.of("id", id))
                .body("{\"name\": \"renamed\"}"));
        e.add(new Entry("DELETE", "/api/v0/webhooks/{id}", USER_WRITE)
                .target(() -> Map.of("id", m.freshWebhook("gone")), Map.of("id", id)));
        e.add(new Entry("POST", "/api/v0/webhooks/{id}/rotate-secret", USER_WRITE)
                .target(() -> Map.of("id", m.freshWebhook("rotated")), Map.of("id", id)));
        e.add(new Entry("POST", "/api/v0/webhooks/{id}/test", USER_WRITE)
                .target(() -> Map.of("id", m.freshWebhook("tested")), Map.of("id", id)));
        e.add(new Entry("GET", "/api/v0/webhooks/{id}/deliveries", USER_READ)
                .target(() -> Map.of("id", m.freshWebhook("logged")), Map.of("id", id)));
        e.add(new Entry("GET", "/api/v0/events", USER_READ)
                .othersMayUse()
                .shows(r -> r.body().contains("\"user_id\":" + m.alice.id() + ",")));
        // market metrics: any key, the same answer for everyone
        e.add(new Entry("GET", "/api/v0/metrics/gpu/current", MISC).othersMayUse());
        e.add(new Entry("GET", "/api/v0/metrics/gpu/history", MISC).othersMayUse());
        e.add(new Entry("GET", "/api/v0/metrics/gpu/locations", MISC).othersMayUse());
        // two-factor sign-in acts on the caller's own account; alice's authenticator is put in the state each needs
        TfaFixture tfa = new TfaFixture(m);
        e.add(new Entry("GET", "/api/v0/tfa/status", USER_READ).othersMayUse());
        e.add(new Entry("POST", "/api/v0/tfa/totp-setup", USER_WRITE)
                .body(tfa::none)
                .othersMayUse());
        e.add(new Entry("POST", "/api/v0/tfa/confirm-new", USER_WRITE).body(tfa::pending));
        e.add(new Entry("DELETE", "/api/v0/tfa", USER_WRITE).body(tfa::confirmedCode));
        e.add(new Entry("GET", "/api/v0/audit_logs", MISC)
                .othersMayUse()
                .shows(r -> r.body().contains("\"user_id\":" + m.alice.id() + ",")));
        e.add(new Entry("POST", "/api/v0/auth/apikeys", USER_WRITE)
                .body("{\"permissions\": {\"api\": {\"misc\": {}}}}")
                .othersMayUse());
        e.add(new Entry("GET", "/api/v0/auth/apikeys", USER_READ)
                .othersMayUse()
                .shows(r -> r.body().contains(MatrixMarket.SECRET_API_KEY)));
        e.add(new Entry("GET", "/api/v0/auth/apikeys/{id}", USER_READ)
                .target(() -> Map.of("id", m.sharedApiKeyId), Map.of("id", id)));
        e.add(new Entry("DELETE", "/api/v0/auth/apikeys/{id}", USER_WRITE)
                .target(() -> Map.of("id", m.freshApiKey("gone")), Map.of("id", id)));
        // Subaccounts and teams (docs/teams.md)
        e.add(new Entry("POST", "/api/v0/users", USER_WRITE)
                .body(() -> {
                    int n = m.serial();
                    return "{\"email\": \"child" + n + "@example.com\", \"username\": \"child" + n
                            + "\", \"parent_id\": \"me\"}";
                })
                .othersMayUse()
                .notForSubaccounts());
        e.add(new Entry("GET", "/api/v0/subaccounts", USER_READ)
                .query("?owner=me")
                .othersMayUse()
                .shows(r -> r.body().contains(m.aliceSubEmail)));
        e.add(new Entry("POST", "/api/v0/team", USER_WRITE)
                .body(() -> "{\"team_name\": \"t" + m.serial() + "\"}")
                .othersMayUse());
        e.add(new Entry("DELETE", "/api/v0/team", USER_WRITE)
                .owner(Owner.TEAM)
                .ownerKey(() -> Http.post(
                                m.server.api() + "/team/", m.alice.key(), "{\"team_name\": \"gone" + m.serial() + "\"}")
                        .json()
                        .get("api_key")
                        .asText()));
        e.add(new Entry("GET", "/api/v0/team/members", TEAM_READ)
                .owner(Owner.TEAM)
                .shows(r -> r.body().contains(m.teamOwnerEmail)));
        e.add(new Entry("DELETE", "/api/v0/team/members/{id}", TEAM_WRITE)
                .owner(Owner.TEAM)
                .target(() -> Map.of("id", Long.toString(m.freshMember("member").id())), Map.of("id", id))
                .targetPerCall());
        e.add(new Entry("POST", "/api/v0/team/invite", TEAM_WRITE)
                .owner(Owner.TEAM)
                .body(() -> "{\"email\": \"invited" + m.serial() + "@example.com\", \"role\": \"member\"}"));
        e.add(new Entry("GET", "/api/v0/team/invite/{token}", USER_READ)
                .target(() -> Map.of("token", m.freshInvitee()), Map.of("token", MISSING_HASH))
                .targetPerCall()
                .ownerKey(() -> m.invitee));
        e.add(new Entry("GET", "/api/v0/team/roles", TEAM_READ)
                .owner(Owner.TEAM)
                .shows(r -> r.body().contains("without_misc")));
        e.add(new Entry("GET", "/api/v0/team/roles-full", TEAM_READ)
                .owner(Owner.TEAM)
                .shows(r -> r.body().contains("without_misc")));
        e.add(new Entry("POST", "/api/v0/team/roles", TEAM_WRITE)
                .owner(Owner.TEAM)
                .body(() -> "{\"name\": \"r" + m.serial() + "\", \"permissions\": {\"api\": {\"misc\": {}}}}"));
        e.add(new Entry("GET", "/api/v0/team/roles/{id}", TEAM_READ)
                .owner(Owner.TEAM)
                .target(() -> Map.of("id", m.spareRoleId), Map.of("id", id)));
        e.add(new Entry("PUT", "/api/v0/team/roles/{id}", TEAM_WRITE)
                .owner(Owner.TEAM)
                .target(() -> Map.of("id", m.spareRoleId), Map.of("id", id))
                .body("{\"permissions\": {\"api\": {\"misc\": {}}}}"));
        e.add(new Entry("DELETE", "/api/v0/team/roles/{id}", TEAM_WRITE)
                .owner(Owner.TEAM)
                .target(() -> Map.of("id", m.freshRole()), Map.of("id", id))
                .targetPerCall());
        // Templates
        e.add(new Entry("GET", "/api/v0/template", USER_READ)
                .query("?select_filters=%7B%7D")
                .othersMayUse()
                .shows(r -> r.body().contains(MatrixMarket.SECRET_TEMPLATE)));
        e.add(new Entry("POST", "/api/v0/template", USER_WRITE)
                .body(() -> "{\"name\": \"new" + m.serial() + "\", \"image\": \"ubuntu\"}")
                .othersMayUse());
        e.add(new Entry("PUT", "/api/v0/template", USER_WRITE)
                .target(() -> Map.of("hash", m.freshTemplate()), Map.of("hash", MISSING_HASH))
                .body("{\"hash_id\": \"$hash\", \"desc\": \"edited\"}"));
        e.add(new Entry("DELETE", "/api/v0/template", USER_WRITE)
                .target(() -> Map.of("hash", m.freshTemplate()), Map.of("hash", MISSING_HASH))
                .body("{\"hash_id\": \"$hash\"}"));
        // Search and launch
        e.add(new Entry("POST", "/api/v0/bundles", MISC).othersMayUse());
        e.add(new Entry("GET", "/api/v0/bundles", MISC).query("?q=%7B%7D").othersMayUse());
        e.add(new Entry("PUT", "/api/v0/search/asks", MISC).body("{\"q\": {}}").othersMayUse());
        e.add(new Entry("GET", "/api/v0/gpu_names/unique", PUBLIC));
        e.add(new Entry("PUT", "/api/v0/launch_instance", MISC)
                .othersMayUse()
                .body("{\"image\": \"ubuntu\", \"q\": {\"machine_id\": " + "{\"eq\": " + m.hostMachine.id()
                        + "}, \"num_gpus\": {\"eq\": 1}}}"));
        // Instances
        e.add(new Entry("PUT", "/api/v0/asks/{id}", INSTANCE_WRITE)
                .target(() -> Map.of("id", m.freeOffer()), Map.of("id", id))
                .targetPerCall()
                .othersMayUse()
                .body("{\"image\": \"ubuntu\"}"));
        e.add(new Entry("GET", "/api/v0/instances/filters", INSTANCE_READ).othersMayUse());
        e.add(new Entry("GET", "/api/v0/instances/{id}", INSTANCE_READ)
                .target(() -> Map.of("id", Long.toString(m.sharedInstance)), Map.of("id", id))
                .shows(r -> r.body().contains(MatrixMarket.SECRET_LABEL)));
        e.add(new Entry("GET", "/api/v0/instances", INSTANCE_READ)
                .othersMayUse()
                .shows(r -> r.body().contains(MatrixMarket.SECRET_LABEL)));
        e.add(new Entry("GET", "/api/v1/instances", INSTANCE_READ)
                .othersMayUse()
                .shows(r -> r.body().contains(MatrixMarket.SECRET_LABEL)));
        e.add(new Entry("PUT", "/api/v0/instances/{id}", INSTANCE_WRITE)
                .target(() -> Map.of("id", Long.toString(m.sharedInstance)), Map.of("id", id))
                .body("{\"label\": \"" + MatrixMarket.SECRET_LABEL + "\"}"));
        e.add(new Entry("PUT", "/api/v0/instances", INSTANCE_WRITE)
                .target(() -> Map.of("id", Long.toString(m.sharedInstance)), Map.of("id", id))
                .body("{\"state\": \"running\", \"ids\": [$id]}"));
        e.add(new Entry("DELETE", "/api/v0/instances/{id}", INSTANCE_WRITE)
                .target(() -> Map.of("id", m.freshInstance()), Map.of("id", id)));
        e.add(new Entry("DELETE", "/api/v0/instances", INSTANCE_WRITE)
                .target(() -> Map.of("id", m.freshInstance()), Map.of("id", id))
                .body("{\"instance_ids\": [$id]}"));
        e.add(new Entry("PUT", "/api/v0/instances/bid_price/{id}", INSTANCE_WRITE)
                .target(() -> Map.of("id", m.freshBid()), Map.of("id", id))
                .body("{\"client_id\": \"me\", \"price\": 0.5}"));
        e.add(new Entry("PUT", "/api/v0/instances/reboot/{id}", INSTANCE_WRITE)
                .target(() -> Map.of("id", Long.toString(m.sharedInstance)), Map.of("id", id)));
        e.add(new Entry("PUT", "/api/v0/instances/recycle/{id}", INSTANCE_WRITE)
                .target(() -> Map.of("id", Long.toString(m.sharedInstance)), Map.of("id", id)));
        // moving an instance (docs/migrate.md): each owner's call moves a fresh instance to the other machine
        e.add(new Entry("PUT", "/api/v0/instances/migrate/{id}", INSTANCE_WRITE)
                .target(() -> Map.of("id", m.freshInstance(), "offer", m.migrationOffer()), Map.of("id", id))
                .targetPerCall()
                .body("{\"offer_id\": $offer}"));
        e.add(new Entry("GET", "/api/v0/instances/migrate/{id}", INSTANCE_READ)
                .target(() -> Map.of("id", Long.toString(m.sharedInstance)), Map.of("id", id)));
        e.add(new Entry("DELETE", "/api/v0/instances/migrate/{id}", INSTANCE_WRITE)
                .target(() -> Map.of("id", Long.toString(m.sharedInstance)), Map.of("id", id)));
        e.add(new Entry("PUT", "/api/v0/instances/prepay/{id}", INSTANCE_WRITE)
                .target(() -> Map.of("id", Long.toString(m.sharedInstance)), Map.of("id", id))
                .body("{\"amount\": 1}"));
        e.add(new Entry("GET", "/api/v0/instances/balance/{id}", INSTANCE_READ)
                .target(() -> Map.of("id", Long.toString(m.sharedInstance)), Map.of("id", id)));
        // renting answers per offer: a missing one is a failed row in a 200
        e.add(new Entry("POST", "/api/v0/asks/bulk", INSTANCE_WRITE)
                .target(() -> Map.of("id", m.freeOffer()), Map.of("id", id))
                .targetPerCall()
                .othersMayUse()
                .body("{\"image\": \"ubuntu\", \"ids\": [$id]}"));
        // price-increase consent: a row is its contract owner's alone (anyone else: as a missing row)
        e.add(new Entry("GET", "/api/v0/instances/pending-price-increases", INSTANCE_READ).othersMayUse());
        e.add(new Entry("PUT", "/api/v0/instances/accept-price-increase", INSTANCE_WRITE)
                .target(() -> Map.of("id", m.freshPendingIncrease()), Map.of("id", id))
                .targetPerCall()
                .body("{\"pending_price_increase_id\": $id}"));
        e.add(new Entry("PUT", "/api/v0/instances/reject-price-increase", INSTANCE_WRITE)
                .target(() -> Map.of("id", m.freshPendingIncrease()), Map.of("id", id))
                .targetPerCall()
                .body("{\"pending_price_increase_id\": $id}"));
        // scheduled jobs: a job names one of the caller's instances
        e.add(new Entry("GET", "/api/v0/commands/schedule_job", INSTANCE_READ).othersMayUse());
        e.add(new Entry("POST", "/api/v0/commands/schedule_job", INSTANCE_WRITE)
                .target(() -> Map.of("id", m.freshInstance()), Map.of("id", id))
                .targetPerCall()
                .body(() -> m.scheduleBody("$id")));
        e.add(new Entry("PUT", "/api/v0/commands/schedule_job/{id}", INSTANCE_WRITE)
                .target(() -> Map.of("id", m.freshScheduledJob()), Map.of("id", id))
                .body("{\"hour_of_the_day\": null}"));
        e.add(new Entry("DELETE", "/api/v0/commands/schedule_job/{id}", INSTANCE_WRITE)
                .target(() -> Map.of("id", m.freshScheduledJob()), Map.of("id", id))
                .targetPerCall());
        // account pages
        e.add(new Entry("GET", "/api/v0/users/{user}/ipaddrs", USER_READ)
                .target(() -> Map.of("user", "me"), Map.of("user", id))
                .othersMayUse());
        e.add(new Entry("GET", "/api/v0/benchmarks", MISC).othersMayUse());
        e.add(new Entry("GET", "/api/v0/invoices", BILLING_READ).othersMayUse());
        e.add(new Entry("PUT", "/api/v0/instances/request_logs/{id}", INSTANCE_READ)
                .target(() -> Map.of("id", Long.toString(m.sharedInstance)), Map.of("id", id)));
        e.add(new Entry("PUT", "/api/v0/instances/command/{id}", INSTANCE_WRITE)
                .target(() -> Map.of("id", Long.toString(m.sharedInstance)), Map.of("id", id))
                .body("{\"command\": \"ls -l\"}"));
        // copy: the instance is named in the body, so a missing one is MISSING_ID there
        e.add(new Entry("PUT", "/api/v0/commands/rsync", INSTANCE_WRITE)
                .target(() -> Map.of("id", m.runningInstance()), Map.of("id", id))
                .body("{\"client_id\": \"me\", \"src_id\": null, \"dst_id\": \"C.$id\", \"src_path\": \"/a\","
                        + " \"dst_path\": \"/workspace/\"}"));
        e.add(new Entry("PUT", "/api/v0/commands/copy_direct", INSTANCE_WRITE)
                .target(
                        () -> {
                            // a copy into the destination still going would be a 409: the owner's call starts anew
                            m.freshCopy();
                            Http.call(
                                    "DELETE",
                                    m.server.api() + "/commands/copy_direct/",
                                    m.alice.key(),
                                    "{\"dst_id\": " + m.otherRunningInstance() + "}");
                            return Map.of("id", m.runningInstance(), "dst", m.otherRunningInstance());
                        },
                        Map.of("id", id))
                .targetPerCall()
                .body("{\"client_id\": \"me\", \"src_id\": \"$id\", \"dst_id\": \"C.$dst\", \"src_path\":"
                        + " \"/workspace/\", \"dst_path\": \"/workspace/\"}"));
        e.add(new Entry("DELETE", "/api/v0/commands/copy_direct", INSTANCE_WRITE)
                .target(() -> Map.of("id", m.otherRunningInstance()), Map.of("id", id))
                .body("{\"client_id\": \"me\", \"dst_id\": \"$id\"}"));
        // cloud copy (docs/copy.md "Cloud copy"): connections are the caller's own; a copy names its instance and
        // connection in the body
        e.add(new Entry("GET", "/api/v0/users/cloud_integrations", USER_READ)
                .target(() -> Map.of("id", m.freshConnection()), Map.of("id", id))
                .othersMayUse()
                .shows(r -> r.body().contains("ALICE_CONNECTION_")));
        e.add(new Entry("POST", "/api/v0/users/cloud_integrations", USER_WRITE)
                .body(() -> "{\"name\": \"c" + m.serial() + "\", \"endpoint\": \"https://s3.example.net\","
                        + " \"access_key_id\": \"k\", \"secret_access_key\": \"s\"}")
                .othersMayUse());
        e.add(new Entry("DELETE", "/api/v0/users/cloud_integrations/{id}", USER_WRITE)
                .target(() -> Map.of("id", m.freshConnection()), Map.of("id", id))
                .targetPerCall());
        e.add(new Entry("POST", "/api/v0/commands/rclone", INSTANCE_WRITE)
                .target(
                        () -> {
                            // a copy on the instance still going would be a 409: the owner's call starts anew
                            Http.call(
                                    "DELETE",
                                    m.server.api() + "/commands/rclone/",
                                    m.alice.key(),
                                    "{\"dst_id\": " + m.runningInstance() + "}");
                            return Map.of("id", m.runningInstance(), "conn", m.freshConnection());
                        },
                        Map.of("id", id))
                .targetPerCall()
                .body("{\"src\": \"/workspace\", \"dst\": \"bkt/x\", \"instance_id\": \"$id\", \"selected\":"
                        + " \"$conn\", \"transfer\": \"Instance To Cloud\", \"flags\": []}"));
        e.add(new Entry("DELETE", "/api/v0/commands/rclone", INSTANCE_WRITE)
                .target(() -> Map.of("id", m.runningInstance()), Map.of("id", id))
                .body("{\"client_id\": \"me\", \"dst_id\": \"$id\"}"));
        e.add(new Entry("GET", "/instance_logs/{file}", PUBLIC)
                .target(() -> Map.of("file", m.uploadedLogFile()), Map.of("file", MISSING_HASH + ".log")));
        e.add(new Entry("POST", "/api/v0/instances/{id}/ssh", INSTANCE_WRITE)
                .target(() -> Map.of("id", Long.toString(m.sharedInstance)), Map.of("id", id))
                .body(() -> "{\"ssh_key\": \"" + io.gpumarket.testkit.TestKeys.ed25519("attach") + "\"}"));
        e.add(new Entry("GET", "/api/v0/instances/{id}/ssh", INSTANCE_READ)
                .target(() -> Map.of("id", Long.toString(m.sharedInstance)), Map.of("id", id)));
        e.add(new Entry("DELETE", "/api/v0/instances/{id}/ssh/{key}", INSTANCE_WRITE)
                .target(
                        () -> Map.of("id", Long.toString(m.sharedInstance), "key", m.freshAttachedKey()),
                        Map.of("id", id)));
        // Volumes (docs/volumes.md)
        e.add(new Entry("POST", "/api/v0/volumes/search", MISC).othersMayUse());
        e.add(new Entry("PUT", "/api/v0/volumes", INSTANCE_WRITE)
                .target(() -> Map.of("id", Long.toString(m.hostVolumeOffer)), Map.of("id", id))
                .othersMayUse()
                .body("{\"size\": 1, \"id\": $id}"));
        e.add(new Entry("GET", "/api/v0/volumes", INSTANCE_READ)
                .query("?owner=me&type=all_volume")
                .othersMayUse()
                .shows(r -> r.body().contains(MatrixMarket.SECRET_VOLUME)));
        e.add(new Entry("DELETE", "/api/v0/volumes", INSTANCE_WRITE)
                .target(() -> Map.of("id", m.freshVolume("gone")), Map.of("id", id))
                .query("?id=$id"));
        e.add(new Entry("POST", "/api/v0/volumes", MACHINE_WRITE)
                .target(() -> Map.of("id", Long.toString(m.aliceMachine)), Map.of("id", id))
                .body("{\"machine\": $id, \"size\": 10, \"price_disk\": 0.1}"));
        e.add(new Entry("POST", "/api/v0/volumes/unlist", MACHINE_WRITE)
                .target(() -> Map.of("id", m.freshAliceVolumeOffer()), Map.of("id", id))
                .targetPerCall()
                .body("{\"id\": $id}"));
        // Billing: each acts on the caller's own account ("me")
        String range = "{\"gte\": 0, \"lte\": 4102444800}";
        e.add(new Entry("GET", "/api/v0/charges", BILLING_READ)
                .query("?select_filters=" + Http.encode("{\"day\": " + range + "}"))
                .othersMayUse());
        e.add(new Entry("GET", "/api/v1/invoices", BILLING_READ)
                .query("?select_filters=" + Http.encode("{\"when\": " + range + "}"))
                .othersMayUse());
        e.add(new Entry("GET", "/api/v0/users/{user}/invoices", BILLING_READ)
                .target(() -> Map.of("user", "me"), Map.of("user", id))
                .othersMayUse());
        e.add(new Entry("GET", "/api/v0/users/{user}/machine-earnings", BILLING_READ)
                .target(() -> Map.of("user", "me"), Map.of("user", id))
                .othersMayUse());
        e.add(new Entry("PUT", "/api/v0/commands/transfer_credit", BILLING_WRITE)
                .body(() -> "{\"sender\": \"me\", \"recipient\": \"" + m.admin.id() + "\", \"amount\": 0.01}")
                .othersMayUse());
        // Hosts
        e.add(new Entry("POST", "/api/v0/host/machines", MACHINE_WRITE)
                .body(m.hostRegistration)
                .othersMayUse());
        e.add(new Entry("PUT", "/api/v0/machines/create_asks", MACHINE_WRITE)
                .target(() -> Map.of("id", Long.toString(m.aliceMachine)), Map.of("id", id))
                .body("{\"machine\": $id, \"price_gpu\": 0.3}"));
        e.add(new Entry("DELETE", "/api/v0/machines/{id}/asks", MACHINE_WRITE)
                .target(() -> Map.of("id", Long.toString(m.aliceMachine)), Map.of("id", id)));
        e.add(new Entry("GET", "/api/v0/machines", MACHINE_READ)
                .othersMayUse()
                .shows(r -> r.json().get("machines").findValuesAsText("id").contains(Long.toString(m.aliceMachine))));
        e.add(new Entry("GET", "/api/v0/machines/{id}", MACHINE_READ)
                .target(() -> Map.of("id", Long.toString(m.aliceMachine)), Map.of("id", id)));
        e.add(new Entry("PUT", "/api/v0/machines/{id}/minbid", MACHINE_WRITE)
                .target(() -> Map.of("id", m.listedAliceMachine()), Map.of("id", id))
                .body("{\"client_id\": \"me\", \"price\": 0.1}"));
        e.add(new Entry("PUT", "/api/v0/machines/{id}/dnotify", MACHINE_WRITE)
                .target(() -> Map.of("id", Long.toString(m.aliceMachine)), Map.of("id", id))
                .body(() -> "{\"client_id\": \"me\", \"sdate\": "
                        + m.clock.instant().getEpochSecond() + ", \"duration\": 1, "
                        + "\"maintenance_category\": \"power\"}"));
        e.add(new Entry("PUT", "/api/v0/machines/{id}/cancel_maint", MACHINE_WRITE)
                .target(() -> Map.of("id", Long.toString(m.aliceMachine)), Map.of("id", id))
                .body("{\"client_id\": \"me\", \"machine_id\": $id}"));
        e.add(new Entry("GET", "/api/v0/machines/maintenances", MACHINE_READ)
                .target(() -> Map.of("id", Long.toString(m.aliceMachine)), Map.of("id", id))
                .query("?owner=me&machine_ids=%5B$id%5D"));
        e.add(new Entry("GET", "/api/v0/machines/{id}/reports", MACHINE_READ)
                .target(() -> Map.of("id", Long.toString(m.aliceMachine)), Map.of("id", id))
                .body("{\"machine_id\": $id}"));
        e.add(new Entry("POST", "/api/v0/instances/{id}/reports", INSTANCE_WRITE)
                .target(() -> Map.of("id", Long.toString(m.sharedInstance)), Map.of("id", id))
                .body("{\"problem\": \"GPU fell off the bus\"}"));
        // Admin
        e.add(new Entry("POST", "/api/v0/admin/users", ADMIN)
                .body(() -> "{\"email\": \"made" + m.serial() + "@test.local\"}"));
        e.add(new Entry("GET", "/api/v0/admin/users", ADMIN));
        e.add(new Entry("GET", "/api/v0/admin/anomalies", ADMIN));
        e.add(new Entry("POST", "/api/v0/admin/users/{id}/keys", ADMIN)
                .target(() -> Map.of("id", Long.toString(m.alice.id())), Map.of("id", id)));
        e.add(new Entry("PUT", "/api/v0/admin/users/{id}/credit", ADMIN)
                .body("{\"amount\": 1}")
                .target(() -> Map.of("id", Long.toString(m.alice.id())), Map.of("id", id)));
        e.add(new Entry("PUT", "/api/v0/admin/users/{id}/refund", ADMIN)
                .body("{\"amount\": 1, \"reason\": \"outage\"}")
                .target(() -> Map.of("id", Long.toString(m.alice.id())), Map.of("id", id)));
        e.add(new Entry("PUT", "/api/v0/admin/users/{id}/password", ADMIN)
                .body("{\"password\": \"a-console-password\"}")
                .target(() -> Map.of("id", Long.toString(m.alice.id())), Map.of("id", id)));
        e.add(new Entry("PUT", "/api/v0/admin/machines/{id}", ADMIN)
                .body("{\"verification\": \"verified\"}")
                .target(() -> Map.of("id", Long.toString(m.aliceMachine)), Map.of("id", id)));
        // The agent protocol: machine tokens, never API keys
        e.add(new Entry("PUT", "/api/v0/agent/machine", AGENT).body(m.hostRegistration));
        e.add(new Entry("POST", "/api/v0/agent/sync", AGENT)
                .body("{\"revision\": 0, \"wait_seconds\": 0, \"instances\": [], \"removed\": []}"));
        e.add(new Entry("GET", "/api/v0/agent/speedtest", AGENT));
        e.add(new Entry("PUT", "/api/v0/agent/speedtest", AGENT).body("payload"));
        e.add(new Entry("PUT", "/api/v0/agent/logs/{token}", AGENT)
                .body("uploaded")
                .target(() -> Map.of("token", m.freshLogToken()), Map.of("token", MISSING_HASH)));
        // Serverless (docs/serverless.md): endpoints, worker groups (two names), deployments act on their owner's
        e.add(new Entry("GET", "/api/v0/endptjobs", MISC)
                .othersMayUse()
                .shows(r -> r.body().contains("\"endpoint_name\":\"" + m.sharedEndpoint()[2] + "\"")));
        e.add(new Entry("POST", "/api/v0/endptjobs", MISC)
                .body(() -> "{\"endpoint_name\": \"new" + m.serial() + "\", \"cold_workers\": 0}")
                .othersMayUse());
        e.add(new Entry("GET", "/api/v0/endptjobs/{id}", MISC)
                .target(() -> Map.of("id", m.sharedEndpoint()[0]), Map.of("id", id)));
        e.add(new Entry("PUT", "/api/v0/endptjobs/{id}", MISC)
                .target(() -> Map.of("id", m.sharedEndpoint()[0]), Map.of("id", id))
                .body("{\"client_id\": \"me\", \"max_workers\": 4}"));
        e.add(new Entry("DELETE", "/api/v0/endptjobs/{id}", MISC)
                .target(() -> Map.of("id", m.freshEndpoint()[0]), Map.of("id", id)));
        for (String groups : List.of("/api/v0/workergroups", "/api/v0/autojobs")) {
            e.add(new Entry("GET", groups, MISC)
                    .othersMayUse()
                    .shows(r -> r.body().contains("\"endpoint_id\":" + m.sharedEndpoint()[0] + ",")));
            e.add(new Entry("POST", groups, MISC)
                    .target(() -> Map.of("id", m.sharedEndpoint()[0], "hash", m.freshTemplate()), Map.of("id", id))
                    .body("{\"endpoint_id\": $id, \"template_hash\": \"$hash\", \"search_params\": \"num_gpus=1\"}"));
            e.add(new Entry("PUT", groups + "/{id}", MISC)
                    .target(() -> Map.of("id", m.sharedEndpoint()[1]), Map.of("id", id))
                    .body("{\"client_id\": \"me\", \"gpu_ram\": 8}"));
            e.add(new Entry("DELETE", groups + "/{id}", MISC)
                    .target(() -> Map.of("id", m.freshEndpoint()[1]), Map.of("id", id)));
        }
        for (String logs : List.of("/get_endpoint_logs", "/get_endpoint_workers")) {
            e.add(new Entry("POST", logs, MISC)
                    .target(() -> Map.of("id", m.sharedEndpoint()[0]), Map.of("id", id))
                    .body("{\"id\": $id}"));
        }
        for (String logs : List.of(
                "/get_workergroup_logs", "/get_autogroup_logs", "/get_workergroup_workers", "/get_autogroup_workers")) {
            e.add(new Entry("POST", logs, MISC)
                    .target(() -> Map.of("id", m.sharedEndpoint()[1]), Map.of("id", id))
                    .body("{\"id\": $id}"));
        }
        // routing and the worker library's reports: keyless, each carries its own credential (the endpoint's key, the
        // worker's token)
        e.add(new Entry("POST", "/route", PUBLIC)
                .target(() -> Map.of("name", m.sharedEndpoint()[2], "key", m.sharedEndpoint()[3]), Map.of())
                .body("{\"endpoint\": \"$name\", \"api_key\": \"$key\", \"cost\": 1, \"request_idx\": 0}"));
        e.add(new Entry("GET", "/pubkey", PUBLIC));
        e.add(new Entry("POST", "/worker_status", PUBLIC)
                .target(() -> Map.of("id", m.sharedWorker()[0], "token", m.sharedWorker()[1]), Map.of())
                .body("{\"id\": $id, \"mtoken\": \"$token\", \"loadtime\": 0, \"max_perf\": 0, \"cur_load\": 0,"
                        + " \"error_msg\": \"\", \"url\": \"http://127.0.0.1:9\"}"));
        e.add(new Entry("POST", "/delete_requests", PUBLIC)
                .target(() -> Map.of("id", m.sharedWorker()[0], "token", m.sharedWorker()[1]), Map.of())
                .body("{\"worker_id\": $id, \"mtoken\": \"$token\", \"requests\": [{\"request_idx\": 1}]}"));
        e.add(new Entry("GET", "/api/v0/deployments", MISC)
                .othersMayUse()
                .shows(r -> r.body().contains("\"file_hash\":\"h\"")));
        e.add(new Entry("PUT", "/api/v0/deployments", MISC)
                .body(() -> "{\"name\": \"d" + m.serial() + "\", \"image\": \"ubuntu\", \"file_hash\": \"h\","
                        + " \"file_size\": 1, \"cold_workers\": 0}")
                .othersMayUse());
        e.add(new Entry("DELETE", "/api/v0/deployments", MISC)
                .target(() -> Map.of("name", m.freshDeployment()[1]), Map.of("name", "missing-deployment"))
                .body("{\"name\": \"$name\"}"));
        for (String one : List.of("/api/v0/deployment/{id}", "/api/v0/deployment/{id}/versions")) {
            e.add(new Entry("GET", one, MISC).target(() -> Map.of("id", m.freshDeployment()[0]), Map.of("id", id)));
        }
        e.add(new Entry("DELETE", "/api/v0/deployment/{id}", MISC)
                .target(() -> Map.of("id", m.freshDeployment()[0]), Map.of("id", id)));
        for (String verb : List.of("start", "stop")) {
            e.add(new Entry("POST", "/api/v0/deployment/{id}/" + verb, MISC)
                    .target(() -> Map.of("id", m.freshDeployment()[0]), Map.of("id", id)));
        }
        e.add(new Entry("PUT", "/api/v0/agent/cloud_copies/{id}", AGENT)
                .body("{\"state\": \"active\", \"msg\": \"Cloud Copy to cloud: 5%\"}")
                .target(() -> Map.of("id", m.freshCloudCopy()), Map.of("id", id)));
        e.add(new Entry("PUT", "/api/v0/agent/copies/{id}", AGENT)
                .body("{\"state\": \"active\", \"msg\": \"copy from C.1: 5% (100 bytes)\"}")
                .target(() -> Map.of("id", m.freshCopy()), Map.of("id", id)));
        // Operations
        e.add(new Entry("GET", "/metrics", PUBLIC));
        e.add(new Entry("GET", "/api/openapi.json", PUBLIC));

        Map<String, Entry> byRoute = new LinkedHashMap<>();
        for (Entry x : e) {
            if (byRoute.put(x.route(), x) != null) throw new IllegalStateException("two entries for " + x.route());
        }
        return byRoute;
    }
}
