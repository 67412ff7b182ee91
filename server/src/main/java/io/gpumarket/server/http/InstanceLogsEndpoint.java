package io.gpumarket.server.http;

import io.gpumarket.server.service.LogService;

/**
 * The result URLs of {@code request_logs}: {@code GET /instance_logs/<token>.log}, without a key (Vast's clients
 * fetch it so, polling until it answers 200). The random token is the only secret. 404 until the agent has
 * uploaded the text.
 */
public final class InstanceLogsEndpoint {
    private static final String SUFFIX = ".log";
    private final LogService logs;

    public InstanceLogsEndpoint(LogService logs) {
        this.logs = logs;
    }

    static String path(String token) {
        return "/instance_logs/" + token + SUFFIX;
    }

    public void register(Router r) {
        r.get("/instance_logs/{file}", Access.PUBLIC, (ctx, caller) -> {
            String file = ctx.pathParam("file");
            String token = file.endsWith(SUFFIX) ? file.substring(0, file.length() - SUFFIX.length()) : null;
            var text = token == null ? java.util.Optional.<String>empty() : logs.content(token);
            if (text.isEmpty()) {
                Json.send(
                        ctx,
                        404,
                        ErrorMapper.body("not_found", "No logs here (yet): the agent has not uploaded them."));
                return;
            }
            ctx.status(200);
            ctx.contentType("text/plain; charset=utf-8");
            ctx.result(text.get());
        });
    }
}
