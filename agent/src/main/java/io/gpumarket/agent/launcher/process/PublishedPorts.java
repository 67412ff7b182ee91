package io.gpumarket.agent.launcher.process;

import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * The renter's published ports ({@code -p 8080:8080}: "8080/tcp" → host port H from the machine's range) as pasta
 * forwards them into an instance's own network namespace: {@code -t [BIND/]H:8080} for TCP, {@code -u …} for UDP.
 * Port 22 is the agent's SSH door, which runs sessions inside the instance itself, so it is never forwarded.
 *
 * <p>pasta carries on when a host port is already taken by someone else, so {@link #unopened} checks afterwards
 * which forwards pasta really holds: a host socket on that port whose inode is among pasta's open files.
 */
final class PublishedPorts {
    private PublishedPorts() {}

    /** pasta's {@code -t}/{@code -u} options; {@code none} for a protocol with nothing to forward. */
    static List<String> pastaArgs(Map<String, Integer> ports, String bindHost) {
        String prefix = bindHost == null || bindHost.equals("0.0.0.0") || bindHost.equals("::") || bindHost.isBlank()
                ? ""
                : bindHost + "/";
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

    /**
     * The published ports whose host port can be opened now (a quick bind and close): pasta refuses to start at all
     * when one of its forwards cannot be, so the others must not depend on it.
     */
    static Map<String, Integer> bindable(Map<String, Integer> ports, String bindHost) {
        Map<String, Integer> open = new TreeMap<>();
        String host = bindHost == null || bindHost.isBlank() ? "0.0.0.0" : bindHost;
        for (Map.Entry<String, Integer> e : ports.entrySet()) {
            if (e.getValue() == null || e.getValue() < 1 || e.getValue() > 65535) continue;
            InetSocketAddress at = new InetSocketAddress(host, e.getValue());
            boolean udp = e.getKey().toLowerCase().endsWith("/udp");
            try (java.io.Closeable probe = udp ? new DatagramSocket(at) : bound(at)) {
                open.put(e.getKey(), e.getValue());
            } catch (IOException ex) {
                // held by something else: left out, and reported as not published
            }
        }
        return open;
    }

    private static ServerSocket bound(InetSocketAddress at) throws IOException {
        ServerSocket s = new ServerSocket();
        try {
            s.bind(at);
            return s;
        } catch (IOException e) {
            s.close();
            throw e;
        }
    }

    /**
     * The published ports that process {@code pasta} holds no host socket for ("40080→8080 (held by another process
     * on the host)"): read from the host's /proc/net tables and pasta's open files.
     */
    static List<String> unopened(long pasta, Map<String, Integer> ports) {
        Set<String> inodes = socketInodes(pasta);
        List<String> missing = new ArrayList<>();
        for (Map.Entry<String, Integer> e : new TreeMap<>(ports).entrySet()) {
            String[] spec = e.getKey().split("/");
            if (spec.length > 2 || !spec[0].matches("\\d{1,5}") || spec[0].equals("22") || e.getValue() == null)
                continue;
            String proto = spec.length == 2 ? spec[1].toLowerCase() : "tcp";
            if (!proto.equals("tcp") && !proto.equals("udp")) continue;
            if (!held(proto, e.getValue(), inodes)) {
                missing.add(e.getValue() + "→" + spec[0] + " (held by another process on the host)");
            }
        }
        return missing;
    }

    /**
     * True when pasta holds the port: a socket of its own on it in the IPv4 table, or, where no one else has a socket
     * on it at all, in the IPv6 table (pasta binds IPv6 apart, so its IPv6 socket alone does not mean that IPv4
     * clients reach it).
     */
    private static boolean held(String proto, int port, Set<String> inodes) {
        String hexPort = String.format(":%04X", port);
        boolean pastaV6 = false;
        boolean others = false;
        for (String table : List.of(proto, proto + "6")) {
            for (String[] f : rows(table)) {
                if (f.length <= 9 || !f[1].endsWith(hexPort)) continue;
                boolean pasta = inodes.contains(f[9]);
                if (pasta && table.equals(proto)) return true;
                if (pasta) pastaV6 = true;
                else if (!f[9].equals("0")) others = true;
            }
        }
        return pastaV6 && !others;
    }

    private static List<String[]> rows(String table) {
        try (Stream<String> lines = Files.lines(Path.of("/proc/net", table))) {
            return lines.skip(1).map(l -> l.strip().split("\\s+")).toList();
        } catch (IOException | java.io.UncheckedIOException e) {
            return List.of(); // no IPv6 on this host
        }
    }

    private static Set<String> socketInodes(long pid) {
        Set<String> inodes = new HashSet<>();
        try (Stream<Path> fds = Files.list(Path.of("/proc", Long.toString(pid), "fd"))) {
            for (Path fd : fds.toList()) {
                try {
                    String target = Files.readSymbolicLink(fd).toString();
                    if (target.startsWith("socket:[")) inodes.add(target.substring(8, target.length() - 1));
                } catch (IOException e) {
                    // closed meanwhile
                }
            }
        } catch (IOException e) {
            // pasta is gone: nothing is held
        }
        return inodes;
    }
}
