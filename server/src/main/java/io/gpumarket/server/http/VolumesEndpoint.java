package io.gpumarket.server.http;

import io.gpumarket.core.error.DomainException;
import io.gpumarket.core.volume.Volume;
import io.gpumarket.core.volume.VolumeOffer;
import io.gpumarket.server.service.VolumeService;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Volumes (docs/volumes.md, docs/vast-compatibility.md §b.7 and §h): the renter's {@code PUT/GET/DELETE /volumes/},
 * the search {@code POST /volumes/search/}, and the host's {@code POST /volumes/} (list) and
 * {@code POST /volumes/unlist/}. Bodies and answers as vast-cli's {@code vastai/api/storage.py} sends and reads them.
 */
public final class VolumesEndpoint {
    private final VolumeService volumes;
    private final boolean searchAnonymous;

    public VolumesEndpoint(VolumeService volumes, boolean searchAnonymous) {
        this.volumes = volumes;
        this.searchAnonymous = searchAnonymous;
    }

    public void register(Router r) {
        r.route("POST", "/api/v0/volumes/search", Access.MISC, searchAnonymous, (ctx, caller) -> {
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("offers", volumes.search(Json.bodyMap(ctx)));
            Json.ok(ctx, out);
        });
        r.post("/api/v0/volumes/unlist", Access.MACHINE_WRITE, "api.volume.unlist", (ctx, caller) -> {
            long id = id(Json.bodyMap(ctx).get("id"));
            volumes.unlistOffer(caller, id);
            Json.ok(ctx, Json.success("msg", "Unlisted Volume " + id + "."));
        });
        r.post("/api/v0/volumes", Access.MACHINE_WRITE, "api.volume.list", (ctx, caller) -> {
            Map<String, Object> body = Json.bodyMap(ctx);
            List<VolumeOffer> listed = volumes.listOffers(
                    caller,
                    machines(body.get("machine")),
                    body.get("size"),
                    body.get("price_disk"),
                    body.get("end_date"));
            Json.ok(
                    ctx,
                    Json.success(
                            "msg",
                            "Listed " + listed.size() + " volume offer(s)",
                            "volume_offer_ids",
                            listed.stream().map(VolumeOffer::id).toList()));
        });
        r.put("/api/v0/volumes", Access.INSTANCE_WRITE, "api.volume.create", (ctx, caller) -> {
            Map<String, Object> body = Json.bodyMap(ctx);
            Object name = body.get("name");
            if (name != null && !(name instanceof String))
                throw new DomainException.BadRequest("invalid_args", "name must be text");
            Volume v = volumes.rent(caller, id(body.get("id")), whole(body.get("size")), (String) name);
            Json.ok(ctx, Json.success("volume_name", v.wireName(), "volume_id", v.id()));
        });
        r.get("/api/v0/volumes", Access.INSTANCE_READ, "api.volumes.show", (ctx, caller) -> {
            String type = ctx.queryParam("type");
            List<Map<String, Object>> rows = "network_volume".equals(type) ? List.of() : volumes.list(caller);
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("volumes", rows);
            Json.ok(ctx, out);
        });
        r.delete("/api/v0/volumes", Access.INSTANCE_WRITE, "api.volume.delete", (ctx, caller) -> {
            // the CLI sends ?id=, the docs a body {"id": …}
            String query = ctx.queryParam("id");
            Object raw = query != null ? query : Json.bodyMap(ctx).get("id");
            long id = id(raw);
            volumes.delete(caller, id);
            Json.ok(ctx, Json.success("msg", "Volume " + id + " deleted."));
        });
    }

    private static long id(Object raw) {
        if (raw instanceof Number n
                && n.doubleValue() == Math.rint(n.doubleValue())
                && n.doubleValue() > 0
                && n.doubleValue() < 1e15) return n.longValue();
        if (raw instanceof String s) {
            try {
                long v = Long.parseLong(s.strip());
                if (v > 0) return v;
            } catch (NumberFormatException ignored) {
                // refused below
            }
        }
        throw new DomainException.BadRequest("invalid_args", "Please provide a valid volume ID.");
    }

    private static long whole(Object raw) {
        if (raw == null) return 15;
        if (raw instanceof Number n
                && n.doubleValue() == Math.rint(n.doubleValue())
                && Math.abs(n.doubleValue()) < 1e15) return n.longValue();
        throw new DomainException.BadRequest("invalid_args", "size must be a whole number of GB, got " + raw);
    }

    private static List<Long> machines(Object raw) {
        List<Long> out = new ArrayList<>();
        if (raw instanceof List<?> list) {
            for (Object o : list) out.add(machineId(o));
        } else if (raw != null) {
            out.add(machineId(raw));
        }
        return out;
    }

    private static long machineId(Object o) {
        if (o instanceof Number n
                && n.doubleValue() == Math.rint(n.doubleValue())
                && n.doubleValue() > 0
                && n.doubleValue() < 1e15) return n.longValue();
        throw new DomainException.BadRequest("invalid_args", "Invalid machine id or parameters: machine " + o);
    }
}
