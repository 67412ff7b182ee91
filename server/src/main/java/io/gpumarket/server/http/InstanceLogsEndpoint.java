package io.gpumarket.server.http;

import io.gpumarket.server.service.LogService;
import java.util.Optional;
import java.util.function.Function;

/**
 * The result URLs of {@code request_logs}, execute and cloud copy: {@code GET /instance_logs/<token>.log}, without a
 * key (Vast's clients fetch it so, polling until it answers 200). The random token is the only secret. 404 until the
 * agent has uploaded the text; a cloud copy's answers at once with its state and last status line.
 */
public final class InstanceLogsEndpoint {
    private static final String SUFFIX = ".log";
    private final LogService logs;
    private final Function<String, Optional<String>> cloudCopies;

    /** @param cloudCopies a cloud copy's result text by its token ({@code CloudCopyService.result}) */
    public InstanceLogsEndpoint(LogService logs, Function<String, Optional<String>> cloudCopies) {
        this.logs = logs;
        this.cloudCopies = cloudCopies;
    }

    static String path(String token) {
        return "/instance_logs/" + token + SUFFIX;
    }

    public void register(Router r) {
        r.get("/instance_logs/{file}", Access.PUBLIC, (ctx, caller) -> {
            String file = ctx.pathParam("file");
            String token = file.endsWith(SUFFIX) ? file.substring(0, file.length() - SUFFIX.length()) : null;
            Optional<String> text = token == null ? Optional.empty() : logs.content(token);
            if (text.isEmpty() && token != null) text = cloudCopies.apply(token);
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
