package io.gpumarket.testkit.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import io.gpumarket.agent.launcher.process.ProcessLauncher;
import io.gpumarket.core.account.Totp;
import io.gpumarket.testkit.AgentProcess;
import io.gpumarket.testkit.Http;
import io.gpumarket.testkit.Ssh;
import io.gpumarket.testkit.TestMachines;
import io.gpumarket.testkit.TestServer;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.Cookie;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.WebElement;

/**
 * The web console in a real headless Chromium against a real server and a real agent (process runtime): the host
 * lists its machine, the operator verifies it and credits the renter, the renter searches, rents, watches the
 * instance turn running without reloading, copies the ssh command and gets in with OpenSSH, stops and destroys it;
 * another renter's session is refused the instance (403) and a cross-site form post is refused. The steps share one
 * market and run in order; each takes the screenshot docs/console.md shows.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ConsoleBrowserTest {
    static final String RENTER_PASSWORD = "renter-password-1";
    static final String ADMIN_PASSWORD = "operator-password-1";

    Path dir;
    TestServer server;
    TestServer.Account host;
    TestServer.Account renter;
    TestServer.Account other;
    String renterEmail;
    String adminEmail;
    long machine;
    AgentProcess agent;
    Ssh ssh;
    Browser browser;
    long instance;

    @BeforeAll
    void market(@TempDir Path tmp) throws Exception {
        dir = tmp;
        assumeTrue(
                Browser.available(),
                "chromium and chromedriver are not installed (apt-get install chromium chromium-driver)");
        server = TestServer.start();
        host = server.newUser();
        renter = server.newRenter(10);
        other = server.newRenter(10);
        renterEmail = Http.get(server.api() + "/users/current/", renter.key())
                .json()
                .get("email")
                .asText();
        JsonNode admin =
                Http.get(server.api() + "/users/current/", server.adminKey()).json();
        adminEmail = admin.get("email").asText();
        setPassword(renter.id(), RENTER_PASSWORD);
        setPassword(admin.get("id").asLong(), ADMIN_PASSWORD);
        ssh = Ssh.newIdentity(Files.createDirectories(dir.resolve("keys")));
        int ports = AgentProcess.freePortBlock(20);
        var registered = host.client().registerMachine(TestMachines.machine("RTX 4090", 2, "Oslo, NO", ports));
        machine = registered.machineId();
        agent = new AgentProcess(
                        server.url(),
                        registered.machineToken(),
                        dir.resolve("agent"),
                        "2x RTX 4090",
                        ports,
                        ports + 19,
                        List.of("--allow-weak-isolation"))
                .start();
        browser = new Browser(server.url());
    }

    @AfterAll
    void close() throws Exception {
        if (browser != null) browser.close();
        if (server != null) {
            for (JsonNode i :
                    Http.get(server.api() + "/instances/", renter.key()).json().get("instances")) {
                Http.delete(server.api() + "/instances/" + i.get("id").asLong() + "/", renter.key(), "{}");
            }
        }
        if (agent != null) agent.close();
        if (dir != null)
            try (ProcessLauncher leftovers =
                    new ProcessLauncher(dir.resolve("agent").resolve("instances"))) {
                leftovers.known().forEach(leftovers::destroy);
            }
        if (server != null) server.close();
    }

    @Test
    @Order(1)
    void a_host_signs_in_with_an_api_key_and_lists_a_machine_at_a_price() throws Exception {
        browser.open("/");
        assertThat(browser.path()).isEqualTo("/console/sign-in");
        browser.screenshot("sign-in");
        browser.type("#api_key", host.key());
        browser.clickAndWait("#sign-in-key");
        browser.open("/console/host");
        WebElement row = browser.find("tr[data-machine='" + machine + "']");
        assertThat(row.findElement(org.openqa.selenium.By.cssSelector(".listed"))
                        .getText())
                .isEqualTo("not listed");
        browser.type("#price-" + machine, "3");
        browser.clickAndWait("tr[data-machine='" + machine + "'] form[action$='/list'] button");
        assertThat(browser.find("tr[data-machine='" + machine + "'] .listed").getText())
                .startsWith("listed at $3.000/GPU/h");
        signOut();
    }

    @Test
    @Order(2)
    void the_operator_verifies_the_machine_and_credits_a_user() throws Exception {
        signIn(adminEmail, ADMIN_PASSWORD);
        browser.open("/console/admin");
        String row = "#all-machines tr[data-machine='" + machine + "']";
        new org.openqa.selenium.support.ui.Select(browser.find(row + " select")).selectByValue("verified");
        browser.clickAndWait(row + " button");
        assertThat(browser.find("#notice").getText()).isEqualTo("Machine " + machine + " is now verified");
        assertThat(browser.find(row + " .verification").getText()).isEqualTo("verified");
        // the market at a glance: the one machine's agent is heard from, nothing rented yet, nothing flagged
        assertThat(browser.find("#machines-online").getText()).isEqualTo("1 of 1");
        assertThat(browser.find("#gpus-rented").getText()).startsWith("0 of 2");
        assertThat(browser.all("#flagged-none")).hasSize(1);
        String user = "#users tr[data-user='" + renter.id() + "']";
        assertThat(browser.find(user + " .credit").getText()).isEqualTo("$10.000");
        browser.type(user + " input[name=amount]", "15");
        browser.clickAndWait(user + " button");
        assertThat(browser.find(user + " .credit").getText()).isEqualTo("$25.000");
        assertThat(Http.get(server.api() + "/users/current/", renter.key())
                        .json()
                        .get("credit")
                        .asDouble())
                .isEqualTo(25.0);
        browser.screenshot("operator");
        signOut();
    }

    @Test
    @Order(3)
    void a_renter_is_refused_with_a_wrong_password_and_signs_in_with_the_right_one() {
        signIn(renterEmail, "not-the-password");
        assertThat(browser.find("#error").getText()).isEqualTo("Wrong email or password.");
        signIn(renterEmail, RENTER_PASSWORD);
        assertThat(browser.path()).isEqualTo("/console/offers");
        assertThat(browser.find(".who").getText()).isEqualTo(renterEmail);
    }

    @Test
    @Order(4)
    void the_renter_searches_with_filters_sorts_by_price_and_is_told_why_nothing_matches() throws Exception {
        browser.open("/console/offers");
        browser.type("#gpu_name", "RTX 4090");
        browser.find("#verified").click();
        // htmx swaps the results in place and pushes the search into the address bar: no page load to wait for
        browser.find("#search-button").click();
        await().atMost(Duration.ofSeconds(30)).ignoreExceptions().until(() -> {
            String url = java.net.URLDecoder.decode(browser.driver.getCurrentUrl(), StandardCharsets.UTF_8);
            return url.contains("gpu_name=RTX 4090")
                    && url.contains("verified=on")
                    && !browser.all("#offers tbody tr").isEmpty();
        });
        // sorted by price ascending by default; clicking the header flips it
        assertThat(browser.find("th:has(#sort-dph_total)").getAttribute("aria-sort"))
                .isEqualTo("ascending");
        browser.clickAndWait("#sort-dph_total");
        assertThat(browser.find("th:has(#sort-dph_total)").getAttribute("aria-sort"))
                .isEqualTo("descending");
        List<Double> prices = browser.all("#offers tbody tr td:nth-child(5)").stream()
                .map(e -> Double.parseDouble(e.getText().substring(1)))
                .toList();
        assertThat(prices).hasSizeGreaterThan(1).isSortedAccordingTo((a, b) -> Double.compare(b, a));
        browser.screenshot("offers");
        browser.screenshot("offers-390px", 390, 844);

        browser.open("/console/offers?gpu_name=RTX+4090&price_max=0.001");
        assertThat(browser.all("#offers")).isEmpty();
        assertThat(browser.find("#why-none").getText()).contains("dph_total").contains("removed");
    }

    @Test
    @Order(5)
    void the_renter_adds_an_ssh_key() throws Exception {
        browser.open("/console/keys");
        browser.type("#public_key", ssh.publicKey());
        browser.clickAndWait("#add-key");
        assertThat(browser.find("#ssh-keys").getText()).contains(ssh.publicKey().substring(0, 30));
        browser.screenshot("ssh-keys");
    }

    @Test
    @Order(6)
    void the_renter_rents_and_watches_the_instance_turn_running_without_reloading() throws Exception {
        browser.open("/console/offers?gpu_name=RTX+4090&num_gpus=1&sort=num_gpus&dir=asc");
        browser.clickAndWait("#offers tbody tr:first-child a.button");
        assertThat(browser.path()).endsWith("/rent");
        browser.type("#image", "ubuntu:22.04");
        browser.type("#onstart", "echo hello-from-onstart");
        browser.type("#label", "from-the-console");
        browser.screenshot("rent");
        browser.clickAndWait("#rent-button");
        assertThat(browser.path()).startsWith("/console/instances/");
        instance = Long.parseLong(browser.path().substring("/console/instances/".length()));
        assertThat(Http.get(server.api() + "/instances/" + instance + "/", renter.key())
                        .json()
                        .get("instances")
                        .get("label")
                        .asText())
                .isEqualTo("from-the-console");
        // a mark on this page's window: a reload would lose it
        browser.driver.executeScript("window.consoleMark = 'same page';");
        await().atMost(Duration.ofSeconds(120))
                .ignoreExceptions()
                .until(() -> browser.find("#status").getText().equals("running")
                        && !browser.all("#ssh-command").isEmpty());
        assertThat(browser.driver.executeScript("return window.consoleMark")).isEqualTo("same page");
    }

    @Test
    @Order(7)
    void the_copied_ssh_command_gets_in_with_openssh() {
        browser.allowClipboard();
        browser.find("#copy-ssh").click();
        await().atMost(Duration.ofSeconds(10))
                .ignoreExceptions()
                .until(() -> browser.find(".copied").getText().equals("Copied"));
        String copied = browser.clipboard();
        assertThat(copied).matches("ssh -p \\d+ root@\\S+");
        List<String> argv = new ArrayList<>(Arrays.asList(copied.split(" ")));
        argv.addAll(1, ssh.options());
        argv.add("echo in-through-the-console");
        await().atMost(Duration.ofSeconds(60))
                .until(() -> ssh.tool(argv).output().contains("in-through-the-console"));
    }

    @Test
    @Order(8)
    void the_renter_relabels_the_instance_attaches_a_colleagues_key_that_gets_in_detaches_it_and_reads_the_logs()
            throws Exception {
        browser.open("/console/instances/" + instance);
        assertThat(browser.find("#instance-label").getAttribute("value")).isEqualTo("from-the-console");
        // from the keyboard: Enter in the field saves it
        browser.type("#instance-label", "training run 7");
        WebElement page = browser.find("html");
        browser.find("#instance-label").sendKeys(org.openqa.selenium.Keys.ENTER);
        browser.awaitStale(page);
        assertThat(browser.find("#instance-label").getAttribute("value")).isEqualTo("training run 7");
        assertThat(Http.get(server.api() + "/instances/" + instance + "/", renter.key())
                        .json()
                        .get("instances")
                        .get("label")
                        .asText())
                .isEqualTo("training run 7");

        // a key attached to this instance only: listed, and OpenSSH gets in with it until it is detached
        Ssh colleague = Ssh.newIdentity(Files.createDirectories(dir.resolve("colleague")));
        assertThat(browser.all("#no-attached")).hasSize(1);
        browser.type("#attach-key", colleague.publicKey());
        browser.clickAndWait("#attach-button");
        WebElement attached = browser.find("#attached li");
        assertThat(attached.getText()).contains(colleague.publicKey().substring(0, 40));
        assertThat(Http.get(server.api() + "/instances/" + instance + "/ssh/", renter.key())
                        .json()
                        .get("ssh_keys")
                        .asText())
                .contains(colleague.publicKey().split(" ")[1]);
        String command = browser.find("#ssh-command").getText();
        await().atMost(Duration.ofSeconds(60))
                .until(() -> colleague
                        .tool(sshArgv(colleague, command, "echo colleague-in"))
                        .output()
                        .contains("colleague-in"));
        browser.screenshot("instance");
        assertEveryFieldHasALabel("instance page");
        assertFitsAPhone("/console/instances/" + instance);
        browser.clickAndWait("#attached li button");
        assertThat(browser.all("#no-attached")).hasSize(1);
        await().atMost(Duration.ofSeconds(60)).until(() -> {
            Ssh.Result r = colleague.tool(sshArgv(colleague, command, "echo colleague-in"));
            return r.exitCode() == 255 && r.output().contains("Permission denied");
        });
        // a key that is not one is refused with the reason, on the page
        browser.type("#attach-key", "not a key");
        browser.clickAndWait("#attach-button");
        assertThat(browser.find("#error").getText()).isNotBlank();

        // the logs viewer: htmx asks the agent for the container's output and shows it when it arrives
        browser.open("/console/instances/" + instance);
        browser.type("#tail", "50");
        browser.find("#fetch-logs").click();
        await().atMost(Duration.ofSeconds(60))
                .ignoreExceptions()
                .until(() -> browser.find("#logs").getText().contains("hello-from-onstart"));
        assertThat(browser.path()).isEqualTo("/console/instances/" + instance);
    }

    private static List<String> sshArgv(Ssh who, String command, String remote) {
        List<String> argv = new ArrayList<>(Arrays.asList(command.split(" ")));
        argv.addAll(1, who.options());
        argv.add(remote);
        return argv;
    }

    @Test
    @Order(9)
    void another_renters_session_is_refused_this_instance_with_403() throws Exception {
        String renterPage = "/console/instances/" + instance;
        signOut();
        browser.open("/");
        browser.type("#api_key", other.key());
        browser.clickAndWait("#sign-in-key");
        browser.open(renterPage);
        assertThat(browser.find("h1").getText()).isEqualTo("Not allowed");
        Cookie session = browser.driver.manage().getCookieNamed("gm_session");
        assertThat(session.isHttpOnly()).isTrue();
        HttpResponse<String> raw = HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create(server.url() + renterPage))
                                .header("Cookie", "gm_session=" + session.getValue())
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        assertThat(raw.statusCode()).isEqualTo(403);
        assertThat(raw.body()).doesNotContain("from-the-console");
        signOut();
    }

    @Test
    @Order(10)
    void a_cross_site_form_post_without_the_csrf_token_is_refused() throws Exception {
        signIn(renterEmail, RENTER_PASSWORD);
        // another origin (another port) whose page posts the destroy form to the console as soon as it loads
        HttpServer evil = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        byte[] page = ("<!doctype html><form id=f method=post action='" + server.url() + "/console/instances/"
                        + instance + "/destroy'></form><script>document.getElementById('f').submit()</script>")
                .getBytes(StandardCharsets.UTF_8);
        evil.createContext("/", x -> {
            x.getResponseHeaders().add("Content-Type", "text/html");
            x.sendResponseHeaders(200, page.length);
            x.getResponseBody().write(page);
            x.close();
        });
        evil.start();
        try {
            browser.driver.get("http://127.0.0.1:" + evil.getAddress().getPort() + "/");
            await().atMost(Duration.ofSeconds(30))
                    .ignoreExceptions()
                    .until(() -> browser.driver.getCurrentUrl().startsWith(server.url())
                            && !browser.all("h1").isEmpty());
            assertThat(browser.find("h1").getText()).isEqualTo("Not allowed");
        } finally {
            evil.stop(0);
        }
        assertThat(Http.get(server.api() + "/instances/" + instance + "/", renter.key())
                        .json()
                        .get("instances")
                        .isNull())
                .as("the instance was not destroyed")
                .isFalse();
        // and a same-site post with the session cookie but without the token is refused too
        Cookie session = browser.driver.manage().getCookieNamed("gm_session");
        HttpResponse<String> raw = HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create(server.url() + "/console/instances/" + instance + "/destroy"))
                                .header("Cookie", "gm_session=" + session.getValue())
                                .header("Content-Type", "application/x-www-form-urlencoded")
                                .POST(HttpRequest.BodyPublishers.ofString(""))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        assertThat(raw.statusCode()).isEqualTo(403);
    }

    @Test
    @Order(11)
    void the_renter_stops_and_destroys_the_instance() throws Exception {
        browser.open("/console/instances/" + instance);
        browser.clickAndWait("#stop");
        await().atMost(Duration.ofSeconds(60))
                .ignoreExceptions()
                .until(() -> browser.find("#status").getText().equals("stopped"));
        server.tick(); // the meter charges what ran so far
        browser.open("/console/billing");
        assertThat(browser.find("#credit").getText()).startsWith("$").isNotEqualTo("$25.000");
        assertThat(browser.find("#charges").getText()).contains("Instance " + instance + " Charges");
        // the operator's credit is an invoice; the charts have a bar per day and a line of the credit
        assertThat(browser.find("#invoices").getText()).contains("15.000");
        assertThat(browser.all("#spend-chart svg rect")).hasSize(30);
        assertThat(browser.find("#spend-chart svg").getAttribute("aria-label")).startsWith("Spend per day: 30 days");
        assertThat(browser.all("#credit-chart svg path")).hasSize(1);
        browser.screenshot("billing");
        browser.open("/console/instances/" + instance);
        WebElement old = browser.find("html");
        browser.find("#destroy").click();
        browser.driver.switchTo().alert().accept();
        browser.awaitStale(old);
        assertThat(browser.path()).isEqualTo("/console/instances");
        assertThat(browser.all("#instances a")).noneMatch(a -> a.getText().equals(Long.toString(instance)));
        assertThat(Http.get(server.api() + "/instances/" + instance + "/", renter.key())
                        .json()
                        .get("instances")
                        .isNull())
                .isTrue();
    }

    @Test
    @Order(12)
    void the_operator_refunds_the_instances_charge_and_the_renter_reads_the_refund_in_billing() throws Exception {
        signOut();
        signIn(adminEmail, ADMIN_PASSWORD);
        browser.open("/console/admin");
        browser.clickAndWait("#users tr[data-user='" + renter.id() + "'] a.refunds");
        assertThat(browser.path()).isEqualTo("/console/admin/users/" + renter.id());
        double before = credit(renter);
        String row = "#user-charges tr[data-instance='" + instance + "']";
        // the refund field starts at the whole charge, to the micro-dollar
        double charged =
                Double.parseDouble(browser.find(row + " input[name=amount]").getAttribute("value"));
        assertThat(charged).isPositive();
        assertEveryFieldHasALabel("operator's user page");
        browser.type(row + " input[name=reason]", "the disk was slow");
        WebElement page = browser.find("html");
        browser.find(row + " input[name=reason]").sendKeys(org.openqa.selenium.Keys.ENTER);
        browser.awaitStale(page);
        assertThat(browser.find("#notice").getText()).startsWith("Refunded $").contains("to user " + renter.id());
        assertThat(credit(renter)).isCloseTo(before + charged, org.assertj.core.data.Offset.offset(5e-7));
        assertThat(browser.find("#user-payments").getText()).contains("instance " + instance + ": the disk was slow");
        assertThat(browser.find(row + " .refunded").getText())
                .as("the charge's row says how much of it was given back")
                .isEqualTo(browser.find(row + " td:nth-child(3)").getText());
        assertThat(browser.find(row + " input[name=amount]").getAttribute("value"))
                .as("nothing of it is left to refund")
                .isEmpty();
        browser.screenshot("refund");
        assertFitsAPhone("/console/admin/users/" + renter.id());
        assertFitsAPhone("/console/admin");
        signOut();

        signIn(renterEmail, RENTER_PASSWORD);
        browser.open("/console/billing");
        assertThat(browser.find("#invoices").getText())
                .contains("refund")
                .contains("instance " + instance + ": the disk was slow");
    }

    @Test
    @Order(13)
    void the_host_sees_what_the_rental_earned() throws Exception {
        signOut();
        browser.open("/");
        browser.type("#api_key", host.key());
        browser.clickAndWait("#sign-in-key");
        browser.open("/console/host");
        assertThat(browser.find("#earned").getText()).startsWith("$").isNotEqualTo("$0.000");
        assertThat(browser.find("tr[data-machine='" + machine + "'] td:nth-child(6)")
                        .getText())
                .isEqualTo(browser.find("#earned").getText());
    }

    @Test
    @Order(14)
    void the_host_sets_a_min_bid_schedules_maintenance_sees_earnings_per_day_and_adds_a_machine() throws Exception {
        browser.open("/console/host");
        assertThat(browser.all("#earnings-day-chart svg rect")).hasSize(30);
        assertThat(browser.all("#earnings-machine-chart svg rect")).hasSize(1);
        browser.type("#minbid-only-" + machine, "0.5");
        browser.clickAndWait("#machine-" + machine + " form[action$='/minbid'] button");
        assertThat(browser.find("tr[data-machine='" + machine + "'] .listed").getText())
                .contains("min bid $0.500");
        // a datetime-local field is typed differently by every browser: its value is set as a user's picker would
        browser.driver.executeScript(
                "document.getElementById(arguments[0]).value = '2030-01-02T03:00'", "mstart-" + machine);
        browser.type("#mhours-" + machine, "2");
        browser.type("#mreason-" + machine, "new fans");
        browser.clickAndWait("#machine-" + machine + " form[action$='/maintenance'] button");
        assertThat(browser.find("#machine-" + machine + " .windows").getText())
                .contains("2030-01-02T03:00:00Z")
                .contains("2.0 h");
        assertThat(Http.get(server.api() + "/machines/maintenances/", host.key())
                        .body())
                .contains("new fans");
        browser.screenshot("host");

        browser.type("#r-gpu", "RTX 3090");
        browser.type("#r-n", "1");
        browser.type("#r-vram", "24576");
        browser.type("#r-cpu", "8");
        browser.type("#r-ram", "32000");
        browser.type("#r-disk", "200");
        browser.type("#r-geo", "Bergen, NO");
        browser.clickAndWait("#register-machine");
        assertThat(browser.find("#added").getText()).contains("registered");
        String command = browser.find("#agent-command").getText();
        assertThat(command).startsWith("gpumarket agent --server " + server.url() + " --token ");
        String token = command.substring(command.lastIndexOf(' ') + 1);
        assertThat(token).isNotEqualTo("MACHINE_TOKEN");
        // the token shown is the new machine's agent token: the agent protocol takes it
        HttpResponse<String> asAgent = HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create(server.api() + "/agent/speedtest"))
                                .header("Authorization", "Bearer " + token)
                                .PUT(HttpRequest.BodyPublishers.ofString("x"))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        assertThat(asAgent.statusCode()).isEqualTo(200);
        assertThat(Http.get(server.api() + "/machines/", host.key()).json().get("machines"))
                .hasSize(2);
    }

    @Test
    @Order(15)
    void the_renter_makes_a_scoped_api_key_an_env_var_and_a_template() throws Exception {
        signOut();
        signIn(renterEmail, RENTER_PASSWORD);
        browser.open("/console/api-keys");
        browser.type("#key-name", "read instances");
        browser.find("#cat-instance_read").click();
        browser.clickAndWait("#create-key");
        String key = browser.find("#new-key").getText();
        assertThat(Http.get(server.api() + "/instances/", key).status()).isEqualTo(200);
        assertThat(Http.post(server.api() + "/ssh/", key, "{\"ssh_key\": \"x\"}")
                        .status())
                .isEqualTo(403);
        assertThat(browser.find("#api-keys").getText())
                .contains("read instances")
                .contains("instance_read");
        browser.screenshot("api-keys");

        browser.open("/console/env");
        browser.type("#env-key", "HF_TOKEN");
        browser.type("#env-value", "a-value-never-shown");
        browser.clickAndWait("#save-env");
        assertThat(browser.find("tr[data-var='HF_TOKEN'] .masked").getText()).isEqualTo("*****");
        assertThat(browser.driver.getPageSource()).doesNotContain("a-value-never-shown");
        assertThat(Http.get(server.api() + "/secrets/", renter.key()).body()).contains("HF_TOKEN");
        browser.screenshot("env-vars");

        browser.open("/console/templates");
        browser.type("#t-name", "pytorch over ssh");
        browser.type("#t-image", "pytorch/pytorch");
        browser.type("#t-tag", "latest");
        browser.type("#t-disk", "20");
        browser.clickAndWait("#create-template");
        assertThat(browser.find("#templates").getText())
                .contains("pytorch over ssh")
                .contains("pytorch/pytorch:latest");
        browser.screenshot("templates");
    }

    @Test
    @Order(16)
    void the_renter_turns_on_two_factor_sign_in_and_then_signing_in_asks_for_a_code() throws Exception {
        browser.open("/console/security");
        assertThat(browser.find("#tfa-state").getText()).startsWith("Off");
        browser.clickAndWait("#tfa-setup");
        String secret = browser.find("#tfa-secret").getText();
        assertThat(browser.find("#tfa-uri").getAttribute("href"))
                .startsWith("otpauth://totp/")
                .contains(secret);
        assertThat(browser.all(".qr svg path")).hasSize(1);
        browser.screenshot("security");
        long step = Totp.step(java.time.Instant.now());
        browser.type("#confirm-code", Totp.code(secret, step));
        browser.clickAndWait("#tfa-confirm");
        assertThat(browser.find("#notice").getText()).startsWith("Two-factor sign-in is on");
        assertThat(Http.get(server.api() + "/tfa/status/", renter.key())
                        .json()
                        .get("tfa_enabled")
                        .asBoolean())
                .isTrue();
        signOut();
        signIn(renterEmail, RENTER_PASSWORD);
        assertThat(browser.find("#error").getText()).contains("6-digit code");
        assertThat(browser.path()).isEqualTo("/console/sign-in");
        browser.open("/console/sign-in");
        browser.type("#email", renterEmail);
        browser.type("#password", RENTER_PASSWORD);
        browser.type("#code", Totp.code(secret, step + 1));
        browser.clickAndWait("#sign-in");
        assertThat(browser.path()).isEqualTo("/console/offers");
    }

    @Test
    @Order(17)
    void the_pages_work_from_the_keyboard_and_fit_a_phone_screen() throws Exception {
        browser.open("/console/offers");
        new org.openqa.selenium.interactions.Actions(browser.driver)
                .sendKeys(org.openqa.selenium.Keys.TAB)
                .perform();
        WebElement first = browser.driver.switchTo().activeElement();
        assertThat(first.getText()).isEqualTo("Skip to content");
        first.sendKeys(org.openqa.selenium.Keys.ENTER);
        assertThat(browser.driver.getCurrentUrl()).endsWith("#main");
        // every field has a label
        for (String page : List.of(
                "/console/offers",
                "/console/api-keys",
                "/console/env",
                "/console/templates",
                "/console/billing",
                "/console/security")) {
            browser.open(page);
            assertEveryFieldHasALabel(page);
        }
        for (String page : List.of(
                "/console/offers",
                "/console/billing",
                "/console/api-keys",
                "/console/security",
                "/console/instances",
                "/console/keys",
                "/console/env",
                "/console/templates",
                "/console/host")) {
            assertFitsAPhone(page);
        }
    }

    /** Every visible input, select and textarea of the open page has a label (a screen reader names it). */
    private void assertEveryFieldHasALabel(String page) {
        Object unlabelled = browser.driver.executeScript(
                "return [...document.querySelectorAll('input:not([type=hidden]), select, textarea')]"
                        + ".filter(e => !e.labels || e.labels.length === 0).map(e => e.id || e.name)");
        assertThat((List<?>) unlabelled).as(page).isEmpty();
    }

    /** At a phone's 390 px the page is no wider than the screen (tables scroll in their own boxes). */
    private void assertFitsAPhone(String page) {
        Dimension before = browser.driver.manage().window().getSize();
        browser.driver.manage().window().setSize(new Dimension(390, 844));
        try {
            browser.open(page);
            Object widths = browser.driver.executeScript(
                    "return [document.documentElement.scrollWidth, document.documentElement.clientWidth]");
            List<?> w = (List<?>) widths;
            assertThat(((Number) w.get(0)).longValue())
                    .as(page + " scrolls sideways")
                    .isLessThanOrEqualTo(((Number) w.get(1)).longValue());
        } finally {
            browser.driver.manage().window().setSize(before);
        }
    }

    private double credit(TestServer.Account account) {
        return Http.get(server.api() + "/users/current/", account.key())
                .json()
                .get("credit")
                .asDouble();
    }

    private void signIn(String email, String password) {
        browser.open("/console/sign-in");
        browser.type("#email", email);
        browser.type("#password", password);
        browser.clickAndWait("#sign-in");
    }

    private void signOut() {
        browser.open("/console/offers");
        if (!browser.all(".signout button").isEmpty()) browser.clickAndWait(".signout button");
        assertThat(browser.path()).isEqualTo("/console/sign-in");
    }

    private void setPassword(long userId, String password) {
        var set = Http.put(
                server.api() + "/admin/users/" + userId + "/password/",
                server.adminKey(),
                "{\"password\": \"" + password + "\"}");
        assertThat(set.status()).as(set.body()).isEqualTo(200);
    }
}
