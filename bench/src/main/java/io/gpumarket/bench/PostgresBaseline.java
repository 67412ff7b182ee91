package io.gpumarket.bench;

import io.gpumarket.core.catalog.GpuCatalog;
import io.gpumarket.core.machine.Machine;
import io.gpumarket.core.offer.OfferFields;
import io.gpumarket.core.offer.OfferSlot;
import io.gpumarket.core.offer.OfferView;
import io.gpumarket.core.offer.PriceContext;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;

/**
 * The peer baseline: the same offers in one denormalised PostgreSQL table (one row per offer, every column a
 * query filters or sorts on), bulk-loaded with {@code COPY}, with b-tree indexes for the benchmark queries'
 * selective columns, vacuumed and analysed, then queried through prepared statements on one connection.
 *
 * <p>Per-offer values that do not depend on the query (the bundle's DLPerf, disk and port shares) are stored
 * as the offer shows them, computed by the same {@link OfferFields} functions the index uses; prices are
 * stored as micro-dollars and turned into the query's {@code dph_total} in SQL ({@link BenchQueries}).
 */
public final class PostgresBaseline {
    static final String TABLE = """
            CREATE TABLE bench_offers (
                id                BIGINT           PRIMARY KEY,
                machine_id        BIGINT           NOT NULL,
                host_id           BIGINT           NOT NULL,
                gpu_name          TEXT             NOT NULL,
                num_gpus          INTEGER          NOT NULL,
                gpu_ram           INTEGER          NOT NULL,
                gpu_price_micros  BIGINT           NOT NULL, -- on-demand price per GPU-hour
                min_bid_micros    BIGINT           NOT NULL, -- minimum bid per GPU-hour
                storage_micros    BIGINT           NOT NULL, -- disk price per GB-month
                dlperf            DOUBLE PRECISION NOT NULL, -- of the bundle
                reliability       DOUBLE PRECISION NOT NULL,
                vericode          SMALLINT         NOT NULL,
                direct_port_count INTEGER          NOT NULL, -- the bundle's share
                disk_space        DOUBLE PRECISION NOT NULL, -- the bundle's share, GB
                inet_down         DOUBLE PRECISION NOT NULL,
                cuda_max_good     DOUBLE PRECISION NOT NULL,
                country           TEXT             NOT NULL,
                geolocation       TEXT             NOT NULL,
                end_date          BIGINT           NOT NULL
            )""";

    /** One index per selective column (or pair) of the queries; the planner picks and combines them. */
    static final List<String> INDEXES = List.of(
            "CREATE INDEX bench_offers_gpu_name_num_gpus ON bench_offers (gpu_name, num_gpus)",
            "CREATE INDEX bench_offers_num_gpus ON bench_offers (num_gpus)",
            "CREATE INDEX bench_offers_vericode_reliability ON bench_offers (vericode, reliability)",
            "CREATE INDEX bench_offers_country ON bench_offers (country)",
            "CREATE INDEX bench_offers_gpu_ram ON bench_offers (gpu_ram)");

    private static final String[] COLUMNS = {
        "id",
        "machine_id",
        "host_id",
        "gpu_name",
        "num_gpus",
        "gpu_ram",
        "gpu_price_micros",
        "min_bid_micros",
        "storage_micros",
        "dlperf",
        "reliability",
        "vericode",
        "direct_port_count",
        "disk_space",
        "inet_down",
        "cuda_max_good",
        "country",
        "geolocation",
        "end_date"
    };

    /** What the load cost, for the report. */
    public record Loaded(int rows, long copyMillis, long indexMillis, long analyzeMillis) {}

    /** The outcome of timing one query. */
    public record Result(Samples samples, List<Long> ids) {}

    private final Connection connection;

    public PostgresBaseline(Connection connection) {
        this.connection = connection;
    }

    /** Creates, fills, indexes and analyses the table (the connection must be in autocommit: VACUUM needs it). */
    public Loaded load(SyntheticMarket market, GpuCatalog catalog) throws SQLException {
        try (Statement s = connection.createStatement()) {
            s.execute("DROP TABLE IF EXISTS bench_offers");
            s.execute(TABLE);
        }
        long t0 = System.nanoTime();
        int rows = copy(market, catalog);
        long t1 = System.nanoTime();
        try (Statement s = connection.createStatement()) {
            for (String index : INDEXES) s.execute(index);
            long t2 = System.nanoTime();
            // VACUUM sets the visibility map (index-only scans); ANALYZE gives the planner the distributions.
            s.execute("VACUUM (ANALYZE) bench_offers");
            long t3 = System.nanoTime();
            return new Loaded(rows, (t1 - t0) / 1_000_000, (t2 - t1) / 1_000_000, (t3 - t2) / 1_000_000);
        }
    }

    private int copy(SyntheticMarket market, GpuCatalog catalog) throws SQLException {
        Map<Long, Machine> machines = new HashMap<>();
        for (Machine m : market.machines()) machines.put(m.id(), m);
        PriceContext context = PriceContext.onDemand(market.now());
        OfferFields.Field dlperf = OfferFields.field("dlperf").orElseThrow();
        OfferFields.Field ports = OfferFields.field("direct_port_count").orElseThrow();
        OfferFields.Field disk = OfferFields.field("disk_space").orElseThrow();
        CopyIn copy = connection
                .unwrap(PGConnection.class)
                .getCopyAPI()
                .copyIn("COPY bench_offers (" + String.join(", ", COLUMNS) + ") FROM STDIN (FORMAT csv)");
        StringBuilder chunk = new StringBuilder(1 << 20);
        int rows = 0;
        try {
            for (OfferSlot slot : market.slots()) {
                Machine m = machines.get(slot.machineId());
                OfferView o = new OfferView(m, slot, catalog.model(m.spec().gpuName()));
                // Doubles print as the shortest text that reads back to the same bits; PostgreSQL parses exactly.
                chunk.append(slot.id())
                        .append(',')
                        .append(m.id())
                        .append(',')
                        .append(m.hostId())
                        .append(',')
                        .append(csv(m.spec().gpuName()))
                        .append(',')
                        .append(slot.numGpus())
                        .append(',')
                        .append(m.spec().gpuRamMb())
                        .append(',')
                        .append(m.listing().gpuPricePerHour())
                        .append(',')
                        .append(m.listing().minBidPerGpuHour())
                        .append(',')
                        .append(m.listing().diskPricePerGbMonth())
                        .append(',')
                        .append(dlperf.valueOf(o, context))
                        .append(',')
                        .append(m.reliability())
                        .append(',')
                        .append(m.verification().vericode())
                        .append(',')
                        .append(ports.valueOf(o, context))
                        .append(',')
                        .append(disk.valueOf(o, context))
                        .append(',')
                        .append(m.spec().inetDown())
                        .append(',')
                        .append(m.spec().cudaMaxGood())
                        .append(',')
                        .append(m.spec().countryCode())
                        .append(',')
                        .append(csv(m.spec().geolocation()))
                        .append(',')
                        .append(m.listing().endDate())
                        .append('\n');
                rows++;
                if (chunk.length() > (1 << 20) - 1024) flush(copy, chunk);
            }
            flush(copy, chunk);
            copy.endCopy();
        } finally {
            if (copy.isActive()) copy.cancelCopy();
        }
        return rows;
    }

    private static void flush(CopyIn copy, StringBuilder chunk) throws SQLException {
        byte[] bytes = chunk.toString().getBytes(StandardCharsets.UTF_8);
        copy.writeToCopy(bytes, 0, bytes.length);
        chunk.setLength(0);
    }

    private static String csv(String s) {
        return "\"" + s.replace("\"", "\"\"") + "\"";
    }

    /** A statement for the query, prepared once; pgjdbc switches to a server-side prepared plan after a few runs. */
    public PreparedStatement prepare(BenchQuery query, long now) throws SQLException {
        PreparedStatement ps = connection.prepareStatement(query.sql());
        List<Object> params = query.params().apply(now);
        for (int i = 0; i < params.size(); i++) {
            Object p = params.get(i);
            if (p instanceof String[] texts) ps.setArray(i + 1, connection.createArrayOf("text", texts));
            else ps.setObject(i + 1, p);
        }
        return ps;
    }

    /**
     * Runs the query and reads every column of every row, as an application would to build its response; answers
     * the offer ids in order.
     */
    public static List<Long> run(PreparedStatement ps) throws SQLException {
        List<Long> ids = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
            int columns = rs.getMetaData().getColumnCount();
            while (rs.next()) {
                ids.add(rs.getLong("id"));
                for (int c = 1; c <= columns; c++) rs.getObject(c);
            }
        }
        return ids;
    }

    /** Warm-up runs (not recorded), then at least {@code minRuns} timed runs. */
    public Result measure(BenchQuery query, long now, int warmupRuns, int minRuns) throws SQLException {
        try (PreparedStatement ps = prepare(query, now)) {
            for (int i = 0; i < warmupRuns; i++) run(ps);
            Samples samples = new Samples();
            for (int i = 0; i < minRuns; i++) {
                long t0 = System.nanoTime();
                run(ps);
                samples.add(System.nanoTime() - t0);
            }
            return new Result(samples, run(ps));
        }
    }

    /** EXPLAIN (ANALYZE) of the query, for the report: which indexes the planner used. */
    public String explain(BenchQuery query, long now) throws SQLException {
        BenchQuery explained = new BenchQuery(
                query.name(),
                query.summary(),
                query.json(),
                "EXPLAIN (ANALYZE, BUFFERS OFF, TIMING OFF) " + query.sql(),
                query.params());
        StringBuilder plan = new StringBuilder();
        try (PreparedStatement ps = prepare(explained, now);
                ResultSet rs = ps.executeQuery()) {
            while (rs.next()) plan.append(rs.getString(1)).append('\n');
        }
        return plan.toString();
    }

    public String serverVersion() throws SQLException {
        try (Statement s = connection.createStatement();
                ResultSet rs = s.executeQuery("SHOW server_version")) {
            rs.next();
            return rs.getString(1);
        }
    }
}
