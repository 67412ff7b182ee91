package io.gpumarket.server.service;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import io.gpumarket.api.Wire;
import io.gpumarket.core.account.User;
import io.gpumarket.core.error.DomainException;
import io.gpumarket.core.instance.IntendedStatus;
import io.gpumarket.core.schedule.JobSchedule;
import io.gpumarket.server.auth.Principal;
import io.gpumarket.store.ScheduledJobRepo.Job;
import io.gpumarket.store.Store;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Scheduled jobs (vastai's {@code --schedule} on stop/start/reboot/change bid, and {@code /commands/schedule_job/}):
 * an instance call of the account's replayed at the times its {@link JobSchedule} names, by the server's
 * "scheduled-jobs" loop ({@link #runDue}). A job is stored with its next run, so a restarted server runs what fell due
 * while it was down once, then carries on; a run is claimed in the database before it is made, so two servers sharing
 * one never both make it. The calls it replays are the instance verbs a schedule makes sense for ({@link Call}); each
 * runs as its account through the same service as the API route, with the same checks.
 */
public final class ScheduledJobService {
    private static final Logger LOG = LoggerFactory.getLogger(ScheduledJobService.class);
    /** Jobs run per loop turn; more wait for the next turn (a second later). */
    static final int BATCH = 100;
    /** At most this many jobs per account, as a bound on what one account makes the loop do. */
    static final int MAX_PER_USER = 100;

    /** What a job replays: its verb, the instance, and (state, bid) the value. */
    public record Call(Verb verb, long instanceId, Object value) {
        public enum Verb {
            START,
            STOP,
            DESTROY,
            REBOOT,
            RECYCLE,
            CHANGE_BID
        }

        private static final Pattern INSTANCE = Pattern.compile("^/api/v0/instances/(\\d{1,18})/?$");
        private static final Pattern VERB =
                Pattern.compile("^/api/v0/instances/(reboot|recycle|bid_price)/(\\d{1,18})/?$");

        /** The call an endpoint, method and body name; a 400 naming the calls a job may make otherwise. */
        public static Call of(String endpoint, String method, Map<String, Object> body) {
            String m = method == null ? "" : method.strip().toUpperCase(java.util.Locale.ROOT);
            String path = endpoint == null ? "" : endpoint.strip();
            Matcher i = INSTANCE.matcher(path);
            if (i.matches()) {
                long id = Long.parseLong(i.group(1));
                if (m.equals("DELETE")) return new Call(Verb.DESTROY, id, null);
                Object state = body.get("state");
                if (m.equals("PUT") && "running".equals(state)) return new Call(Verb.START, id, null);
                if (m.equals("PUT") && "stopped".equals(state)) return new Call(Verb.STOP, id, null);
            }
            Matcher v = VERB.matcher(path);
            if (v.matches() && m.equals("PUT")) {
                long id = Long.parseLong(v.group(2));
                switch (v.group(1)) {
                    case "reboot" -> {
                        return new Call(Verb.REBOOT, id, null);
                    }
                    case "recycle" -> {
                        return new Call(Verb.RECYCLE, id, null);
                    }
                    default -> {
                        Object price = body.get("price");
                        if (price instanceof Number n && Double.isFinite(n.doubleValue()))
                            return new Call(Verb.CHANGE_BID, id, n.doubleValue());
                    }
                }
            }
            throw new DomainException.BadRequest(
                    "invalid_args",
                    "a scheduled job can make these calls: PUT /api/v0/instances/{id}/ with {\"state\": \"running\"|"
                            + "\"stopped\"}, DELETE /api/v0/instances/{id}/, PUT /api/v0/instances/reboot/{id}/, PUT"
                            + " /api/v0/instances/recycle/{id}/, PUT /api/v0/instances/bid_price/{id}/ with {\"price\":"
                            + " N}; got " + m + " " + path);
        }
    }

    /** A job's stored fields as the request named them, checked. */
    public record Request(Call call, JobSchedule schedule, String endpoint, String method, String body) {}

    private final Store store;
    private final InstanceService instances;
    private final BidService bids;
    private final Clock clock;

    public ScheduledJobService(Store store, InstanceService instances, BidService bids, Clock clock) {
        this.store = store;
        this.instances = instances;
        this.bids = bids;
        this.clock = clock;
    }

    public List<Job> list(Principal caller) {
        return store.repos().scheduledJobs().ofUser(caller.userId());
    }

    /** The caller's job with the same instance, endpoint and method, which vastai offers to update (Vast's 422). */
    public Optional<Job> duplicate(Principal caller, Request r) {
        return list(caller).stream()
                .filter(j -> java.util.Objects.equals(j.instanceId(), r.call().instanceId())
                        && j.apiEndpoint().equals(r.endpoint())
                        && j.requestMethod().equals(r.method()))
                .findFirst();
    }

    public Job create(Principal caller, Request r) {
        instances.owned(caller, List.of(r.call().instanceId()));
        if (list(caller).size() >= MAX_PER_USER) {
            throw new DomainException.BadRequest(
                    "invalid_args", "at most " + MAX_PER_USER + " scheduled jobs per account; delete one first");
        }
        Instant now = clock.instant();
        return store.repos().scheduledJobs().create(job(0, caller, r, now));
    }

    public Job update(Principal caller, long id, Request r) {
        instances.owned(caller, List.of(r.call().instanceId()));
        Instant now = clock.instant();
        Job j = job(id, caller, r, now);
        if (!store.repos().scheduledJobs().update(j)) throw notFound(id);
        return store.repos().scheduledJobs().find(id).orElseThrow(() -> notFound(id));
    }

    public void delete(Principal caller, long id) {
        if (!store.repos().scheduledJobs().delete(id, caller.userId())) throw notFound(id);
    }

    private Job job(long id, Principal caller, Request r, Instant now) {
        JobSchedule s = r.schedule();
        return new Job(
                id,
                caller.userId(),
                r.call().instanceId(),
                r.endpoint(),
                r.method(),
                r.body(),
                s.frequency().name(),
                s.dayOfWeek(),
                s.hourOfDay(),
                s.minOfHour(),
                s.start(),
                s.end(),
                s.next(now),
                null,
                null,
                now);
    }

    /**
     * One turn of the loop: every job due by now is claimed (its next run moved on) and then run as its account. A
     * run that fails (the instance destroyed, credit short) is recorded as the job's last result; the schedule goes
     * on until its end.
     *
     * @return how many ran
     */
    public int runDue() {
        Instant now = clock.instant();
        int ran = 0;
        for (Job j : store.repos().scheduledJobs().due(now, BATCH)) {
            JobSchedule s = schedule(j);
            Instant next = s.next(now.plusMillis(1));
            if (!store.repos().scheduledJobs().claim(j.id(), j.nextRunAt(), next)) continue;
            String result;
            try {
                run(j);
                result = "ok";
            } catch (DomainException e) {
                result = e.code() + ": " + e.getMessage();
            } catch (RuntimeException e) {
                LOG.warn("scheduled job {} failed", j.id(), e);
                result = "failed: " + e.getClass().getSimpleName();
            }
            store.repos().scheduledJobs().ran(j.id(), now, result);
            ran++;
        }
        return ran;
    }

    private void run(Job j) {
        User user = store.repos()
                .users()
                .find(j.userId())
                .orElseThrow(() -> new DomainException.NotFound("no_such_user", "account " + j.userId() + " is gone"));
        Principal as = new Principal(user, 0, null);
        Call call = Call.of(j.apiEndpoint(), j.requestMethod(), body(j.requestBody()));
        long id = call.instanceId();
        switch (call.verb()) {
            case START -> instances.setState(as, List.of(id), IntendedStatus.RUNNING);
            case STOP -> instances.setState(as, List.of(id), IntendedStatus.STOPPED);
            case DESTROY -> instances.destroy(as, List.of(id));
            case REBOOT -> instances.reboot(as, id);
            case RECYCLE -> instances.recycle(as, id);
            case CHANGE_BID -> bids.change(as, id, (Double) call.value());
        }
    }

    private static JobSchedule schedule(Job j) {
        return new JobSchedule(
                JobSchedule.Frequency.valueOf(j.frequency()),
                j.dayOfWeek(),
                j.hourOfDay(),
                j.minOfHour(),
                j.startTime(),
                j.endTime());
    }

    /** A stored body back as a map (bodies are stored as the JSON the request carried). */
    public static Map<String, Object> body(String json) {
        if (json == null || json.isBlank()) return Map.of();
        try {
            Map<String, Object> m = Wire.mapper().readValue(json, new TypeReference<Map<String, Object>>() {});
            return m == null ? Map.of() : m;
        } catch (JsonProcessingException e) {
            return Map.of();
        }
    }

    private static DomainException notFound(long id) {
        return new DomainException.NotFound("no_such_job", "Scheduled job " + id + " not found.");
    }
}
