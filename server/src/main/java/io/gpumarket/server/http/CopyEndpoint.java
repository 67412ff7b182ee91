package io.gpumarket.server.http;

import io.gpumarket.core.copy.CopyLocation;
import io.gpumarket.core.copy.CopyRequest;
import io.gpumarket.core.error.DomainException;
import io.gpumarket.server.service.CopyService;
import java.util.Map;

/**
 * vastai's copy routes, as {@code vastai/api/storage.py} calls them. {@code PUT /commands/rsync/} (one end local)
 * answers where the instance's SSH door is: {@code dst_addr}/{@code dst_port} when copying to the instance, {@code
 * src_addr}/{@code src_port} when copying from it, which is what vastai's {@code copy} reads before it runs
 * {@code rsync -e "ssh -p PORT" … vastai_kaalia@ADDR::ID/path}.
 */
public final class CopyEndpoint {
    private final CopyService copies;

    public CopyEndpoint(CopyService copies) {
        this.copies = copies;
    }

    public void register(Router r) {
        r.put("/api/v0/commands/rsync", Access.INSTANCE_WRITE, "api.instance.copy", (ctx, caller) -> {
            CopyRequest request = request(Json.bodyMap(ctx));
            door(ctx, request, copies.rsync(caller, request));
        });
        // vastai sends "local:" ends here too and then expects rsync's answer
        r.put("/api/v0/commands/copy_direct", Access.INSTANCE_WRITE, "api.instance.copy_direct", (ctx, caller) -> {
            CopyRequest request = request(Json.bodyMap(ctx));
            if (request.src() instanceof CopyLocation.Local || request.dst() instanceof CopyLocation.Local) {
                door(ctx, request, copies.rsync(caller, request));
                return;
            }
            long id = copies.direct(caller, request);
            Json.ok(
                    ctx,
                    Json.success(
                            "copy_id",
                            id,
                            "msg",
                            "Remote to Remote copy initiated - check instance status bar for progress updates"));
        });
        r.delete("/api/v0/commands/copy_direct", Access.INSTANCE_WRITE, "api.instance.cancel_copy", (ctx, caller) -> {
            long dst = dstId(Json.bodyMap(ctx));
            int n = copies.cancel(caller, dst);
            Json.ok(ctx, Json.success("msg", n == 0 ? "No copy into " + dst + " was going." : "Remote copy canceled"));
        });
    }

    private static void door(io.javalin.http.Context ctx, CopyRequest request, CopyService.Door door) {
        String side = request.toLocal() ? "src" : "dst";
        Json.ok(
                ctx,
                Json.success(
                        side + "_addr",
                        door.addr(),
                        side + "_port",
                        door.port(),
                        "msg",
                        "rsync to vastai_kaalia@" + door.addr() + "::ID/path over ssh -p " + door.port()));
    }

    /** The instance of {@code dst_id} (42, "42" or "C.42"). */
    private static long dstId(Map<String, Object> b) {
        if (CopyLocation.of("dst_id", b.get("dst_id")) instanceof CopyLocation.OfInstance i) return i.id();
        throw new DomainException.BadRequest("invalid_args", "Invalid dst_id.");
    }

    private static CopyRequest request(Map<String, Object> b) {
        return CopyRequest.of(
                b.get("src_id"), Params.string(b, "src_path"), b.get("dst_id"), Params.string(b, "dst_path"));
    }
}
