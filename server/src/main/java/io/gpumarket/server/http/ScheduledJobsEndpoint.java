package io.gpumarket.server.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.gpumarket.api.Wire;
import io.gpumarket.core.error.DomainException;
import io.gpumarket.core.permission.InstanceScope;
import io.gpumarket.core.schedule.JobSchedule;
import io.gpumarket.server.auth.Principal;
import io.gpumarket.server.service.ScheduledJobService;
import io.gpumarket.server.service.ScheduledJobService.Call;
import io.gpumarket.store.ScheduledJobRepo.Job;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Scheduled jobs as vast-cli's {@code vastai/api/auth.py} and {@code cli/util.py add_scheduled_job} use them: list,
 * create (a job for the same instance, endpoint and method already there is Vast's 422 with its
 * {@code scheduled_job_id}, which vastai offers to update), update (the fields given replace the job's) and delete. A
 * job may make only calls its creator may make now: the route's own permission check runs at creation.
 */
public final class ScheduledJobsEndpoint {
    private final ScheduledJobService jobs;

    public ScheduledJobsEndpoint(ScheduledJobService jobs) {
        this.jobs = jobs;
    }

    public void register(Router r) {
        r.get(
                "/api/v0/commands/schedule_job",
                Access.INSTANCE_READ,
                "api.scheduled_jobs.show",
                (ctx, caller) -> Json.ok(
                        ctx,
                        jobs.list(caller).stream()
                                .map(ScheduledJobsEndpoint::view)
                                .toList()));
        r.post("/api/v0/commands/schedule_job", Access.INSTANCE_WRITE, "api.scheduled_job.create", (ctx, caller) -> {
            ScheduledJobService.Request req = request(caller, Json.bodyMap(ctx), null);
            var existing = jobs.duplicate(caller, req);
            if (existing.isPresent()) {
                Map<String, Object> out = new LinkedHashMap<>();
                out.put("success", false);
                out.put("error", "duplicate_scheduled_job");
                out.put(
                        "msg",
                        "A scheduled job for instance " + req.call().instanceId() + " calling " + req.method() + " "
                                + req.endpoint() + " exists already (id "
                                + existing.get().id() + "); update it.");
                out.put("scheduled_job_id", existing.get().id());
                Json.send(ctx, 422, out);
                return;
            }
            Job j = jobs.create(caller, req);
            Json.ok(ctx, Json.success("scheduled_job_id", j.id(), "msg", "scheduled job " + j.id() + " created"));
        });
        r.put(
                "/api/v0/commands/schedule_job/{id}",
                Access.INSTANCE_WRITE,
                "api.scheduled_job.update",
                (ctx, caller) -> {
                    long id = Params.id(ctx, "id");
                    Job old = jobs.list(caller).stream()
                            .filter(j -> j.id() == id)
                            .findFirst()
                            .orElseThrow(() ->
                                    new DomainException.NotFound("no_such_job", "Scheduled job " + id + " not found."));
                    Job j = jobs.update(caller, id, request(caller, Json.bodyMap(ctx), old));
                    Json.ok(
                            ctx,
                            Json.success("scheduled_job_id", j.id(), "msg", "scheduled job " + j.id() + " updated"));
                });
        r.delete(
                "/api/v0/commands/schedule_job/{id}",
                Access.INSTANCE_WRITE,
                "api.scheduled_job.delete",
                (ctx, caller) -> {
                    long id = Params.id(ctx, "id");
                    jobs.delete(caller, id);
                    Json.ok(ctx, Json.success("msg", "scheduled job " + id + " deleted"));
                });
    }

    /**
     * The body's job, each field falling back to {@code old}'s (an update), checked: the call one a job may make and
     * the caller may make, the schedule as vastai's rules have it.
     */
    private static ScheduledJobService.Request request(Principal caller, Map<String, Object> b, Job old) {
        String endpoint = or(Params.string(b, "api_endpoint"), old == null ? null : old.apiEndpoint());
        String method = or(Params.string(b, "request_method"), old == null ? null : old.requestMethod());
        if (endpoint == null || method == null)
            throw new DomainException.BadRequest("invalid_args", "'api_endpoint' and 'request_method' are required");
        method = method.strip().toUpperCase(java.util.Locale.ROOT);
        Object rawBody = b.containsKey("request_body")
                ? b.get("request_body")
                : old == null ? Map.of() : ScheduledJobService.body(old.requestBody());
        if (rawBody != null && !(rawBody instanceof Map<?, ?>))
            throw new DomainException.BadRequest("invalid_args", "'request_body' must be a JSON object");
        @SuppressWarnings("unchecked")
        Map<String, Object> callBody = rawBody == null ? Map.of() : (Map<String, Object>) rawBody;
        Call call = Call.of(endpoint, method, callBody);
        Long named = Params.id(b, "instance_id");
        if (named != null && named != call.instanceId()) {
            throw new DomainException.BadRequest(
                    "invalid_args",
                    "'instance_id' " + named + " is not the instance " + call.instanceId() + " the endpoint names");
        }
        permitted(caller, call);
        boolean hasDay = b.containsKey("day_of_the_week");
        boolean hasHour = b.containsKey("hour_of_the_day");
        JobSchedule schedule = JobSchedule.parse(
                or(Params.string(b, "frequency"), old == null ? null : old.frequency()),
                hasDay ? Params.integer(b, "day_of_the_week") : old == null ? null : old.dayOfWeek(),
                hasHour ? Params.integer(b, "hour_of_the_day") : old == null ? null : old.hourOfDay(),
                or(
                        Params.number(b, "start_time"),
                        old == null ? null : old.startTime().toEpochMilli() / 1000.0),
                or(
                        Params.number(b, "end_time"),
                        old == null ? null : old.endTime().toEpochMilli() / 1000.0));
        String text;
        try {
            text = Wire.mapper().writeValueAsString(callBody);
        } catch (JsonProcessingException e) {
            throw new DomainException.BadRequest("invalid_args", "'request_body' is not storable JSON");
        }
        return new ScheduledJobService.Request(call, schedule, endpoint.strip(), method, text);
    }

    /** The call's own route check, so a scoped key cannot schedule what it could not call. */
    private static void permitted(Principal caller, Call call) {
        String name = switch (call.verb()) {
            case START, STOP -> InstanceScope.MANAGE;
            case DESTROY -> InstanceScope.DESTROY;
            case REBOOT -> "api.instance.reboot";
            case RECYCLE -> "api.instance.recycle";
            case CHANGE_BID -> "api.instance.change_bid";
        };
        Router.permit(caller, Access.INSTANCE_WRITE, name, Map.of("id", Long.toString(call.instanceId())));
    }

    private static <T> T or(T value, T fallback) {
        return value != null ? value : fallback;
    }

    private static Map<String, Object> view(Job j) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", j.id());
        m.put("instance_id", j.instanceId());
        m.put("api_endpoint", j.apiEndpoint());
        m.put("request_method", j.requestMethod());
        m.put("request_body", ScheduledJobService.body(j.requestBody()));
        m.put("start_time", seconds(j.startTime()));
        m.put("end_time", seconds(j.endTime()));
        m.put("day_of_the_week", j.dayOfWeek());
        m.put("hour_of_the_day", j.hourOfDay());
        m.put("min_of_the_hour", j.minOfHour());
        m.put("frequency", j.frequency());
        m.put("next_run_at", j.nextRunAt() == null ? null : seconds(j.nextRunAt()));
        m.put("last_run_at", j.lastRunAt() == null ? null : seconds(j.lastRunAt()));
        m.put("last_result", j.lastResult());
        return m;
    }

    private static double seconds(Instant t) {
        return t.toEpochMilli() / 1000.0;
    }
}
