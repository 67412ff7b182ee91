package io.gpumarket.core.catalog;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The GPU models the market knows, read from the bundled {@code gpus.csv}. Lookups forgive how a name is
 * spelled, because hosts report what their driver prints ("NVIDIA GeForce RTX 4090") and renters type what
 * Vast shows ("RTX_4090", "rtx 4090"): case, underscores for spaces, repeated spaces and the vendor prefixes
 * "NVIDIA " and "GeForce " do not matter.
 */
public final class GpuCatalog {
    static final String RESOURCE = "gpus.csv";
    private static final String HEADER = "name,vram_mb,fp32_tflops,mem_bw_gbs,compute_cap,dlperf,arch";

    private final Map<String, GpuModel> byKey;

    private GpuCatalog(Map<String, GpuModel> byKey) {
        this.byKey = byKey;
    }

    /** The bundled catalog. Fails (it is a build error) if the file is missing or malformed. */
    public static GpuCatalog load() {
        try (InputStream in = GpuCatalog.class.getResourceAsStream(RESOURCE)) {
            if (in == null) throw new IllegalStateException("GPU catalog resource " + RESOURCE + " is missing");
            BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            return parse(reader.lines().toList());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read GPU catalog " + RESOURCE, e);
        }
    }

    /** A catalog from CSV lines: the header, then one model a line; blank lines and '#' comments are skipped. */
    public static GpuCatalog parse(List<String> lines) {
        Map<String, GpuModel> models = new LinkedHashMap<>();
        boolean headerSeen = false;
        int lineNo = 0;
        for (String raw : lines) {
            lineNo++;
            String line = raw.strip();
            if (line.isEmpty() || line.startsWith("#")) continue;
            if (!headerSeen) {
                if (!line.equals(HEADER))
                    throw new IllegalArgumentException(
                            "GPU catalog header must be '" + HEADER + "', got '" + line + "'");
                headerSeen = true;
                continue;
            }
            GpuModel model = parseLine(line, lineNo);
            if (models.putIfAbsent(key(model.name()), model) != null) {
                throw new IllegalArgumentException("GPU catalog line " + lineNo + ": duplicate model " + model.name());
            }
        }
        return of(models.values());
    }

    public static GpuCatalog of(Iterable<GpuModel> models) {
        Map<String, GpuModel> byKey = new LinkedHashMap<>();
        for (GpuModel m : models) byKey.put(key(m.name()), m);
        return new GpuCatalog(Collections.unmodifiableMap(byKey));
    }

    private static GpuModel parseLine(String line, int lineNo) {
        String[] f = line.split(",", -1);
        if (f.length != 7)
            throw new IllegalArgumentException("GPU catalog line " + lineNo + ": expected 7 fields, got " + f.length);
        try {
            return new GpuModel(
                    f[0].strip(),
                    Integer.parseInt(f[1].strip()),
                    Double.parseDouble(f[2].strip()),
                    Double.parseDouble(f[3].strip()),
                    Integer.parseInt(f[4].strip()),
                    Double.parseDouble(f[5].strip()),
                    f[6].strip());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("GPU catalog line " + lineNo + ": " + e.getMessage(), e);
        }
    }

    /** The model of that name, or {@link GpuModel#unknown(String)} (zero speed figures) when the catalog has none. */
    public GpuModel model(String name) {
        return find(name).orElseGet(() -> GpuModel.unknown(name));
    }

    public Optional<GpuModel> find(String name) {
        return name == null ? Optional.empty() : Optional.ofNullable(byKey.get(key(name)));
    }

    /** Canonical model names, in catalog order (what {@code /gpu_names/unique/} lists). */
    public List<String> names() {
        List<String> names = new ArrayList<>(byKey.size());
        for (GpuModel m : byKey.values()) names.add(m.name());
        return Collections.unmodifiableList(names);
    }

    static String key(String name) {
        String k = name.replace('_', ' ').strip().replaceAll("\\s+", " ").toLowerCase(Locale.ROOT);
        if (k.startsWith("nvidia ")) k = k.substring("nvidia ".length());
        if (k.startsWith("geforce ")) k = k.substring("geforce ".length());
        return k;
    }
}
