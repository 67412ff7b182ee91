package io.gpumarket.agent.launcher;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The renter's published ports ({@code -p 8080:8080}: "8080/tcp" → host port H from the machine's range) as pasta
 * forwards them into an instance's own network namespace: {@code -t [BIND/]H:8080} for TCP, {@code -u …} for UDP.
 * Port 22 is the agent's SSH door, which runs sessions inside the instance itself, so it is never forwarded.
 */
final class PublishedPorts {
    private PublishedPorts() {}

    /** pasta's {@code -t}/{@code -u} options; {@code none} for a protocol with nothing to forward. */
    static List<String> pastaArgs(Map<String, Integer> ports, String bindHost) {
        String prefix = bindHost == null || bindHost.equals("0.0.0.0") || bindHost.equals("::") || bindHost.isBlank() ? "" : bindHost + "/";
        List<String> tcp = new ArrayList<>();
        List<String> udp = new ArrayList<>();
        for (Map.Entry<String, Integer> e : new TreeMap<>(ports).entrySet()) {
            String[] spec = e.getKey().split("/");
            if (spec.length > 2 || !spec[0].matches("\\d{1,5}") || e.getValue() == null) continue;
            int inner = Integer.parseInt(spec[0]);
            int outer = e.getValue();
            if (inner < 1 || inner > 65535 || outer < 1 || outer > 65535 || inner == 22) continue;
            String proto = spec.length == 2 ? spec[1].toLowerCase() : "tcp";
            String forward = prefix + outer + ":" + inner;
            if (proto.equals("tcp")) tcp.add(forward);
            else if (proto.equals("udp")) udp.add(forward);
        }
        List<String> args = new ArrayList<>();
        if (tcp.isEmpty()) args.addAll(List.of("-t", "none"));
        for (String t : tcp) args.addAll(List.of("-t", t));
        if (udp.isEmpty()) args.addAll(List.of("-u", "none"));
        for (String u : udp) args.addAll(List.of("-u", u));
        return args;
    }
}
