package io.gpumarket.agent.sync;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** The SSH front door as an in-memory record: which instances have it open, with which keys; an opening may fail. */
final class FakeDoor implements Door {
    private final Map<Long, List<String>> open = new HashMap<>();
    private final List<String> calls = new ArrayList<>();
    private IOException nextFailure;

    @Override
    public synchronized List<String> open(long instanceId, int sshPort, Map<String, Integer> ports, List<String> keys)
            throws IOException {
        calls.add("open " + instanceId);
        if (nextFailure != null) {
            IOException e = nextFailure;
            nextFailure = null;
            throw e;
        }
        open.put(instanceId, List.copyOf(keys));
        return List.of();
    }

    @Override
    public synchronized void updateKeys(long instanceId, List<String> keys) {
        calls.add("keys " + instanceId);
        open.put(instanceId, List.copyOf(keys));
    }

    @Override
    public synchronized void close(long instanceId) {
        calls.add("close " + instanceId);
        open.remove(instanceId);
    }

    /** The next opening fails (the port still held by something else). */
    synchronized void failNextOpen(String why) {
        nextFailure = new IOException(why);
    }

    synchronized boolean isOpen(long instanceId) {
        return open.containsKey(instanceId);
    }

    synchronized List<String> keys(long instanceId) {
        return open.get(instanceId);
    }

    synchronized List<String> calls() {
        return List.copyOf(calls);
    }
}
