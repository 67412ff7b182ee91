package io.gpumarket.agent.sync;

import java.io.IOException;
import java.util.List;

/** The way in to an instance (the SSH front door), as the runners use it. */
public interface Door {
    void open(long instanceId, int port, List<String> authorizedKeys) throws IOException;

    void updateKeys(long instanceId, List<String> authorizedKeys);

    void close(long instanceId);
}
