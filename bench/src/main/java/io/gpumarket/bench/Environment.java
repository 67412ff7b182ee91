package io.gpumarket.bench;

import java.io.IOException;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * What the figures were measured on: CPU, cores, memory, JVM, and the load average, which is sampled at every
 * phase because other work on a small machine (a build, a test run) moves latencies more than any code change.
 */
public final class Environment {
    private Environment() {}

    /** {@code uptime}'s line, or the load averages from /proc when the command is missing. */
    public static String uptime() {
        try {
            Process p = new ProcessBuilder("uptime").redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes()).strip();
            if (p.waitFor(5, TimeUnit.SECONDS) && p.exitValue() == 0 && !out.isEmpty()) return out;
        } catch (IOException e) {
            // fall through to /proc
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return "load average: " + loadAverages();
    }

    /** The 1-, 5- and 15-minute load averages. */
    public static String loadAverages() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg")).split("\\s+");
            return f[0] + ", " + f[1] + ", " + f[2];
        } catch (IOException | RuntimeException e) {
            return "unknown";
        }
    }

    static String cpu() {
        try {
            return Files.readAllLines(Path.of("/proc/cpuinfo")).stream()
                    .filter(l -> l.startsWith("model name"))
                    .findFirst()
                    .map(l -> l.substring(l.indexOf(':') + 1).strip())
                    .orElse("unknown CPU");
        } catch (IOException e) {
            return "unknown CPU";
        }
    }

    static String memory() {
        try {
            return Files.readAllLines(Path.of("/proc/meminfo")).stream()
                    .filter(l -> l.startsWith("MemTotal"))
                    .findFirst()
                    .map(l -> Long.parseLong(l.replaceAll("\\D", "")) / 1024 / 1024 + " GiB")
                    .orElse("?");
        } catch (IOException | RuntimeException e) {
            return "?";
        }
    }

    public static String jvm() {
        Runtime.Version v = Runtime.version();
        List<String> gcs = ManagementFactory.getGarbageCollectorMXBeans().stream()
                .map(GarbageCollectorMXBean::getName)
                .toList();
        return System.getProperty("java.vm.name") + " " + v + " (" + System.getProperty("java.vendor") + "), heap max "
                + Runtime.getRuntime().maxMemory() / (1 << 20) + " MiB, GC "
                + gcs.stream().collect(Collectors.joining(" + "));
    }

    public static String machine() {
        return cpu() + ", " + Runtime.getRuntime().availableProcessors() + " cores, " + memory() + " RAM, "
                + System.getProperty("os.name") + " " + System.getProperty("os.version");
    }
}
