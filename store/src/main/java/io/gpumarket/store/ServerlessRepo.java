package io.gpumarket.store;

import io.gpumarket.core.serverless.EndpointSettings;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Serverless endpoints, worker groups, the instances rented as their workers, endpoint logs and deployments. */
public interface ServerlessRepo {
    /** An endpoint ({@code endptjobs}): its owner, name and scaling settings. */
    record Endpoint(
            long id, long userId, String name, EndpointSettings settings, String reportAddr, Instant createdAt) {}

    /**
     * A worker group ({@code autojobs}/{@code workergroups}): what its workers run (a template, or a deployment's
     * image and env) on offers its search finds. {@code settings}: the group's own scaling fields as sent (JSON).
     */
    record Workergroup(
            long id,
            long userId,
            long endpointId,
            String templateHash,
            String image,
            String env,
            String searchParams,
            String launchArgs,
            Double gpuRam,
            int testWorkers,
            String settings,
            Instant createdAt) {}

    /** An instance rented as a worker of an endpoint, through one of its groups. */
    record Worker(long instanceId, long endpointId, long workergroupId, long userId, Instant createdAt) {}

    /** One line of an endpoint's log. */
    record LogLine(long id, long endpointId, Long workergroupId, Instant at, String line) {}

    /** A deployment: an image and its code, served by an endpoint with one worker group. */
    record Deployment(
            long id,
            long userId,
            String name,
            String tag,
            String image,
            String fileHash,
            long fileSize,
            String env,
            String searchParams,
            double storage,
            Double ttl,
            Long endpointId,
            Long workergroupId,
            int version,
            Instant createdAt,
            Instant updatedAt) {}

    /** A new endpoint; empty when its owner has one of that name already. */
    Optional<Endpoint> addEndpoint(long userId, String name, EndpointSettings settings, String reportAddr, Instant now);

    Optional<Endpoint> endpoint(long id);

    List<Endpoint> endpointsOf(long userId);

    /** Every endpoint of that name (names are unique per owner only), for routing. */
    List<Endpoint> endpointsNamed(String name);

    /** Every endpoint, for the autoscaler. */
    List<Endpoint> allEndpoints();

    boolean updateEndpoint(long id, String name, EndpointSettings settings);

    /** Removes the endpoint, its groups, its worker rows and its log (its workers' instances are the caller's). */
    boolean removeEndpoint(long id);

    Workergroup addWorkergroup(Workergroup group, Instant now);

    Optional<Workergroup> workergroup(long id);

    List<Workergroup> workergroupsOf(long userId);

    List<Workergroup> workergroupsOfEndpoint(long endpointId);

    boolean updateWorkergroup(Workergroup group);

    boolean removeWorkergroup(long id);

    void addWorker(Worker worker);

    Optional<Worker> worker(long instanceId);

    List<Worker> workersOfEndpoint(long endpointId);

    void removeWorker(long instanceId);

    void log(long endpointId, Long workergroupId, String line, Instant at);

    /** The last {@code tail} lines of an endpoint's log (of one group when {@code workergroupId} is not null), oldest first. */
    List<LogLine> logs(long endpointId, Long workergroupId, int tail);

    Deployment putDeployment(Deployment d, Instant now);

    Optional<Deployment> deployment(long id);

    Optional<Deployment> deployment(long userId, String name, String tag);

    List<Deployment> deploymentsOf(long userId);

    boolean removeDeployment(long id);

    /** The sealed signing key, if one was made. */
    Optional<String> signingKey();

    /** Stores the sealed signing key unless one is there; answers the one kept (a replica may have won). */
    String keepSigningKey(String sealed);
}
