package io.gpumarket.agent.host;

import io.gpumarket.agent.AgentConfig;
import io.gpumarket.api.host.MachineRegistration;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What this host is, as the server's registration wants it: GPUs from {@code nvidia-smi} when present, else the
 * GPUs the config declares (GPU-less hosts, dev mode, tests); CPU and RAM from /proc; disk as declared, else the
 * state directory's free space. CUDA version and driver from {@code nvidia-smi}, else the declared CUDA version;
 * network speed as measured ({@code network}), else as declared; what is neither stays null, and the server keeps
 * what the machine was registered with.
 */
public final class Fingerprint {
    private static final Pattern DECLARED = Pattern.compile("^\\s*(\\d+)\\s*[xX×]\\s*(.+?)\\s*$");

    private Fingerprint() {}

    /** @param network the speed test's result, or empty where it could not run */
    public static MachineRegistration of(AgentConfig config, java.util.Optional<SpeedTest.Result> network)
            throws IOException {
        Gpus gpus = config.gpus() != null
                ? declared(config.gpus(), config.gpuRamMb())
                : NvidiaSmi.query()
                        .orElseThrow(() -> new IOException(
                                "no nvidia-smi on this host: declare the GPUs, e.g. --gpus \"1x RTX 4090\""));
        int cores = Runtime.getRuntime().availableProcessors();
        long ramMb = memTotalMb();
        Files.createDirectories(config.stateDir());
        double diskGb = config.diskGb() != null
                ? config.diskGb()
                : Files.getFileStore(config.stateDir()).getUsableSpace() / 1e9;
        String hostname = hostname();
        AgentConfig.Declared declared = config.declared();
        Double cuda = gpus.cuda() != null ? gpus.cuda() : declared.cuda();
        Double up = network.map(SpeedTest.Result::upMbps).orElse(declared.inetUpMbps());
        Double down = network.map(SpeedTest.Result::downMbps).orElse(declared.inetDownMbps());
        return new MachineRegistration(
                gpus.name(),
                gpus.count(),
                gpus.ramMb(),
                "nvidia",
                null,
                cuda,
                gpus.driver(),
                null,
                null,
                null,
                null,
                null,
                null,
                false,
                cpuName(),
                System.getProperty("os.arch").equals("aarch64") ? "arm64" : "amd64",
                cores,
                null,
                ramMb,
                true,
                Math.floor(diskGb),
                null,
                null,
                up,
                down,
                null,
                osVersion(),
                config.publicIpaddr(),
                hostname,
                config.portStart(),
                config.portEnd(),
                config.geolocation(),
                false,
                false,
                false);
    }

    /** GPUs as a host reports them. */
    public record Gpus(String name, int count, int ramMb, String driver, Double cuda) {}

    static Gpus declared(String spec, int ramMb) {
        Matcher m = DECLARED.matcher(spec);
        if (!m.matches())
            throw new IllegalArgumentException("--gpus must look like \"2x RTX 4090\", got \"" + spec + "\"");
        return new Gpus(m.group(2), Integer.parseInt(m.group(1)), ramMb, null, null);
    }

    private static long memTotalMb() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/meminfo"))) {
            if (line.startsWith("MemTotal:")) return Long.parseLong(line.replaceAll("\\D+", "")) / 1000;
        }
        return 1;
    }

    private static String cpuName() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
            if (line.toLowerCase(Locale.ROOT).startsWith("model name"))
                return line.substring(line.indexOf(':') + 1).trim();
        }
        return "unknown";
    }

    private static String osVersion() {
        try {
            for (String line : Files.readAllLines(Path.of("/etc/os-release"))) {
                if (line.startsWith("VERSION_ID=")) return line.substring(11).replace("\"", "");
            }
        } catch (IOException ignored) {
            // unknown OS version is fine
        }
        return null;
    }

    private static String hostname() {
        try {
            Process p = new ProcessBuilder("hostname").redirectErrorStream(true).start();
            String name = new String(p.getInputStream().readAllBytes()).trim();
            p.waitFor(5, TimeUnit.SECONDS);
            return name.isEmpty() ? null : name;
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    /** nvidia-smi's view of the GPUs. */
    static final class NvidiaSmi {
        private NvidiaSmi() {}

        static java.util.Optional<Gpus> query() {
            try {
                Process p = new ProcessBuilder(
                                "nvidia-smi",
                                "--query-gpu=name,memory.total,driver_version",
                                "--format=csv,noheader,nounits")
                        .redirectErrorStream(true)
                        .start();
                List<String> lines = new String(p.getInputStream().readAllBytes())
                        .lines()
                        .filter(l -> !l.isBlank())
                        .toList();
                if (!p.waitFor(20, TimeUnit.SECONDS) || p.exitValue() != 0 || lines.isEmpty())
                    return java.util.Optional.empty();
                String[] first = lines.getFirst().split(",\\s*");
                return java.util.Optional.of(new Gpus(
                        marketName(first[0]),
                        lines.size(),
                        Integer.parseInt(first[1].trim()),
                        first[2].trim(),
                        cudaVersion()));
            } catch (IOException | RuntimeException e) {
                return java.util.Optional.empty();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return java.util.Optional.empty();
            }
        }

        /** The "CUDA Version: 12.8" of nvidia-smi's header: the highest CUDA the driver supports; null if not shown. */
        static Double cudaVersion() throws IOException, InterruptedException {
            Process p =
                    new ProcessBuilder("nvidia-smi").redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes());
            if (!p.waitFor(20, TimeUnit.SECONDS) || p.exitValue() != 0) return null;
            return cudaIn(out);
        }

        static Double cudaIn(String header) {
            Matcher m = CUDA.matcher(header);
            return m.find() ? Double.valueOf(m.group(1)) : null;
        }

        private static final Pattern CUDA = Pattern.compile("CUDA Version:\\s*(\\d+\\.\\d+)");

        /** "NVIDIA GeForce RTX 4090" → "RTX 4090", "NVIDIA H100 80GB HBM3" → "H100 SXM" as Vast names them. */
        static String marketName(String smiName) {
            String n =
                    smiName.replace("NVIDIA", "").replace("GeForce", "").trim().replaceAll("\\s+", " ");
            if (n.startsWith("H100") && n.contains("HBM3")) return "H100 SXM";
            if (n.startsWith("H100") && n.contains("PCIe")) return "H100 PCIE";
            if (n.startsWith("A100") && n.contains("SXM")) return "A100 SXM4";
            if (n.startsWith("A100") && n.contains("PCIe")) return "A100 PCIE";
            return n;
        }
    }
}
