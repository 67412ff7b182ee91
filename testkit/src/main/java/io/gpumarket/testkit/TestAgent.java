package io.gpumarket.testkit;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.gpumarket.api.ActualStatus;
import io.gpumarket.api.Wire;
import io.gpumarket.api.agent.DesiredInstance;
import io.gpumarket.api.agent.InstanceReport;
import io.gpumarket.api.agent.SyncRequest;
import io.gpumarket.api.agent.SyncResponse;
import java.util.Arrays;
import java.util.List;

/**
 * Plays a machine's agent in server tests: the agent protocol over plain HTTP with the machine token, one call at
 * a time, as the real agent will speak it. It remembers the last revision it was given, as an agent does.
 */
public final class TestAgent {
    private final String url;
    private final String token;
    private long revision;

    public TestAgent(String serverUrl, String machineToken) {
        this.url = serverUrl + "/api/v0/agent";
        this.token = machineToken;
    }

    public String token() {
        return token;
    }

    /** The revision of the last state this agent was given. */
    public long revision() {
        return revision;
    }

    /** A sync answered at once, reporting nothing. */
    public SyncResponse sync() {
        return sync(new SyncRequest(revision, 0, List.of(), List.of()));
    }

    /** A long poll: held until the machine's desired state moves past the last revision this agent saw. */
    public SyncResponse poll(int waitSeconds) {
        return sync(new SyncRequest(revision, waitSeconds, List.of(), List.of()));
    }

    /** Reports one instance's actual status (its wire string; one the protocol does not know: {@link #syncRaw}). */
    public SyncResponse report(long instanceId, String actualStatus) {
        ActualStatus status = ActualStatus.fromWire(actualStatus)
                .orElseThrow(() -> new IllegalArgumentException("no actual_status is called " + actualStatus));
        return report(new InstanceReport(
                instanceId,
                status,
                actualStatus,
                0,
                1.5,
                0.25,
                status == ActualStatus.RUNNING ? 1_700_000_000L : 0,
                revision));
    }

    public SyncResponse report(InstanceReport... reports) {
        return sync(new SyncRequest(revision, 0, Arrays.asList(reports), List.of()));
    }

    /** Reports instances torn down (container and SSH listener gone). */
    public SyncResponse removed(Long... instanceIds) {
        return sync(new SyncRequest(revision, 0, List.of(), Arrays.asList(instanceIds)));
    }

    public SyncResponse sync(SyncRequest request) {
        Http.Response r = Http.post(url + "/sync/", token, json(request));
        if (r.status() != 200) throw new AssertionError("sync answered HTTP " + r.status() + ": " + r.body());
        try {
            SyncResponse answer = Wire.mapper().readValue(r.body(), SyncResponse.class);
            revision = answer.revision();
            return answer;
        } catch (JsonProcessingException e) {
            throw new AssertionError("sync answer does not read as a SyncResponse: " + r.body(), e);
        }
    }

    /** The sync call as it went over the wire, for status and error checks. */
    public Http.Response syncRaw(String body) {
        return Http.post(url + "/sync/", token, body);
    }

    /** Uploads the text of a log request. */
    public Http.Response uploadLogs(String logToken, String text) {
        return Http.put(url + "/logs/" + logToken + "/", token, text);
    }

    /** One instance of a desired state by id. */
    public static DesiredInstance find(SyncResponse state, long instanceId) {
        return state.instances().stream()
                .filter(i -> i.id() == instanceId)
                .findFirst()
                .orElseThrow(
                        () -> new AssertionError("instance " + instanceId + " is not in the desired state " + state));
    }

    private static String json(Object body) {
        try {
            return Wire.mapper().writeValueAsString(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
