package io.gpumarket.cli.client;

import com.fasterxml.jackson.databind.JsonNode;
import io.gpumarket.api.ApiException;
import io.gpumarket.api.Wire;
import io.gpumarket.cli.query.Py;
import io.gpumarket.cli.query.QueryException;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * A client verb: resolves the server and key ({@link ClientConfig}), runs, and turns failures into what vastai
 * prints, always on stderr with a non-zero exit: {@code Failed with error <status>: <msg>} for an HTTP error
 * ({@code {"error": true, "status_code": …, "msg": …}} with {@code --raw}), {@code Error:  <message>} for a
 * query or argument the verb refuses, {@code error: …} when the server cannot be reached.
 */
public abstract class ClientCommand implements Callable<Integer> {
    @Mixin
    ClientOptions options = new ClientOptions();

    @Spec
    CommandSpec spec;

    private CliEnv env;
    private ClientOptions effective;
    private ClientConfig config;
    private Api api;

    @Override
    public final Integer call() {
        CliRoot root = (CliRoot) spec.root().userObject();
        env = root.env();
        effective = options.over(root.rootOptions());
        try {
            return run();
        } catch (ApiException e) {
            reportApiError(e);
        } catch (QueryException | IllegalArgumentException e) {
            err().println("Error:  " + e.getMessage());
        } catch (Failure e) {
            if (e.getMessage() != null && !e.getMessage().isEmpty()) err().println(e.getMessage());
            return e.code();
        } catch (Api.Unreachable | UncheckedIOException e) {
            err().println("error: " + e.getMessage());
        } catch (IOException e) {
            err().println("error: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            err().println("error: interrupted");
        }
        return 1;
    }

    /** The verb; answers the exit code. */
    protected abstract int run() throws IOException, InterruptedException;

    protected CliEnv env() {
        return env;
    }

    protected PrintStream out() {
        return env.out();
    }

    protected PrintStream err() {
        return env.err();
    }

    protected boolean raw() {
        return effective.raw;
    }

    protected ClientConfig config() {
        if (config == null) config = ClientConfig.resolve(effective, env);
        return config;
    }

    protected Api api() {
        if (api == null) {
            api = new Api(
                    config().url(),
                    config().apiKey(),
                    effective.explain ? err() : null,
                    err(),
                    effective.retry == null ? 3 : effective.retry);
        }
        return api;
    }

    protected void printJson(Object value) {
        try {
            out().println(Wire.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(value));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    protected void printTable(List<JsonNode> rows, List<Table.Column> columns) {
        out().print(Table.render(rows, columns));
    }

    /** The elements of a JSON array (none for anything else). */
    protected static List<JsonNode> list(JsonNode array) {
        if (array == null || !array.isArray()) return List.of();
        List<JsonNode> rows = new java.util.ArrayList<>();
        array.forEach(rows::add);
        return rows;
    }

    /** A JSON object body in the order given; null values are kept (vastai sends them). */
    protected static Map<String, Object> body(Object... keysAndValues) {
        Map<String, Object> body = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) body.put((String) keysAndValues[i], keysAndValues[i + 1]);
        return body;
    }

    /**
     * vastai's handling of {@code {"success": …, "msg": …}} answers: on success prints {@code done} (or the answer
     * with {@code --raw}); otherwise the answer's {@code msg}, and exits 1.
     */
    protected int reportSuccess(JsonNode answer, String done) {
        boolean ok = answer.path("success").asBoolean(!answer.has("success"));
        if (raw()) {
            printJson(answer);
            return ok ? 0 : 1;
        }
        if (ok) {
            out().println(done);
            return 0;
        }
        err().println(answer.path("msg").asText(answer.toString()));
        return 1;
    }

    /** Asks on stdout and reads one line: only "y" (any case) is a yes; no input at all is a no. */
    protected boolean confirm(String prompt) throws IOException {
        out().print(prompt);
        out().flush();
        String line = new BufferedReader(new InputStreamReader(env.in(), StandardCharsets.UTF_8)).readLine();
        if (line == null) out().println();
        return line != null && line.strip().equalsIgnoreCase("y");
    }

    /** Python's repr of a JSON answer, as vastai prints answers ({@code Started. {'success': True, …}}). */
    protected static String repr(JsonNode answer) {
        return Py.repr(Wire.mapper().convertValue(answer, Object.class));
    }

    private void reportApiError(ApiException e) {
        String msg;
        if (e.json()) {
            msg = e.msg() != null ? e.msg() : e.error() != null ? e.error() : "(no detail message supplied)";
        } else if (e.status() == 401) {
            msg = "Please log in or sign up";
        } else {
            String text = e.msg() == null ? "" : e.msg().strip();
            msg = text.isEmpty() || text.length() > 300 || text.startsWith("<") ? "(no detail message supplied)" : text;
        }
        if (raw()) {
            err().println(PyJson.write(body("error", true, "status_code", e.status(), "msg", msg)));
            return;
        }
        err().println("Failed with error " + e.status() + ": " + msg);
        if (e.status() == 401 || e.status() == 403 && config().apiKey() == null) {
            ClientConfig c = config();
            if (c.apiKey() == null) {
                err().println(
                                "  No API key was sent: give --api-key, set GPUMARKET_API_KEY, or save one with `gpumarket set api-key KEY`.");
            } else {
                String k = c.apiKey();
                err().println("  Sent the key from " + c.keySource() + " (ends in …"
                        + k.substring(Math.max(0, k.length() - 4)) + ").");
            }
        }
    }
}
