package io.gpumarket.cli.command;

import java.util.Map;
import picocli.CommandLine.Option;

/** The scaling flags of {@code create endpoint} and {@code update endpoint}, as vastai names them. */
final class EndpointOptions {
    @Option(names = "--min_load", description = "minimum floor load in perf units/s")
    Double minLoad;

    @Option(names = "--min_cold_load", description = "minimum floor load allowing cold workers")
    Double minColdLoad;

    @Option(names = "--target_util", description = "target capacity utilization (fraction, max 1.0)")
    Double targetUtil;

    @Option(names = "--cold_mult", description = "cold capacity target as a multiple of hot")
    Double coldMult;

    @Option(names = "--cold_workers", description = "workers kept cold when there is no load")
    Integer coldWorkers;

    @Option(names = "--max_workers", description = "the most workers the endpoint may have")
    Integer maxWorkers;

    @Option(names = "--endpoint_name", description = "the endpoint's name")
    String endpointName;

    @Option(names = "--max_queue_time", description = "seconds a request may queue on a worker")
    Double maxQueueTime;

    @Option(names = "--target_queue_time", description = "target seconds to clear the queue")
    Double targetQueueTime;

    @Option(names = "--inactivity_timeout", description = "seconds without traffic before a worker is let go")
    Integer inactivityTimeout;

    @Option(names = "--auto_instance", hidden = true, defaultValue = "prod")
    String autoInstance;

    /** The body vast-cli sends: every field, null where not given (the server keeps or defaults those). */
    void into(Map<String, Object> body) {
        body.put("min_load", minLoad);
        body.put("min_cold_load", minColdLoad);
        body.put("target_util", targetUtil);
        body.put("cold_mult", coldMult);
        body.put("cold_workers", coldWorkers);
        body.put("max_workers", maxWorkers);
        body.put("endpoint_name", endpointName);
        body.put("max_queue_time", maxQueueTime);
        body.put("target_queue_time", targetQueueTime);
        body.put("inactivity_timeout", inactivityTimeout);
        body.put("autoscaler_instance", autoInstance);
    }
}
