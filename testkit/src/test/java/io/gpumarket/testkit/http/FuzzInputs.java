package io.gpumarket.testkit.http;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Hostile request parts for {@link EveryRouteFuzzTest}, all drawn from one seeded {@link Random} so a seed
 * replays the same inputs: scalars that broke servers before (NUL, lone surrogates, 1e999, numbers past a long,
 * huge text), JSON of random shapes and depths, mutations of a route's valid body, path ids and query strings.
 *
 * <p>JSON is written here rather than by Jackson, because Jackson cannot write what a hostile client sends:
 * number literals such as {@code 1e999} and escaped lone surrogates ({@code "\ud800"}).
 */
final class FuzzInputs {
    /** A JSON number literal written as is (1e999, a 400-digit integer, -0). */
    record Literal(String text) {}

    /** The query parameters the server reads somewhere, tried on every route. */
    static final List<String> QUERY_NAMES = List.of(
            "q",
            "select_filters",
            "order_by",
            "select_cols",
            "after_token",
            "next_token",
            "limit",
            "machine_ids",
            "owner",
            "format",
            "inc_charges",
            "machid",
            "latest_first",
            "sdate",
            "edate",
            "sday",
            "eday",
            "api_key");

    static final List<Object> SCALARS = List.of(
            "",
            " ",
            "\u0000",
            "a\u0000b",
            "\uD800",
            "x\uDC00y",
            "\uD83D\uDE80 rocket",
            "日本語",
            "NaN",
            "Infinity",
            "-Infinity",
            "1e999",
            "-1",
            "0",
            "me",
            "null",
            "true",
            "<b>",
            "'; DROP TABLE users;--",
            "%00",
            "../../etc/passwd",
            "9".repeat(30),
            "x".repeat(5000),
            "\t\r\n",
            "\u202Eevil",
            "\uFFFF",
            "1.5",
            "535.86.05",
            "ubuntu",
            "RTX 4090",
            new Literal("1e999"),
            new Literal("-1e999"),
            new Literal("1e308"),
            new Literal("-0"),
            new Literal("-0.0"),
            new Literal("9223372036854775807"),
            new Literal("9223372036854775808"),
            new Literal("-9223372036854775809"),
            new Literal("9".repeat(400)),
            new Literal("1e15"),
            new Literal("4.9e-324"),
            new Literal("2147483648"),
            new Literal("1E400"),
            new Literal("0.1"),
            new Literal("123456789.123456789"),
            -1L,
            0L,
            1L,
            2L,
            8L,
            1_000_000_000L,
            Long.MAX_VALUE,
            Long.MIN_VALUE,
            0.5,
            -0.5,
            1e15,
            1e300,
            true,
            false);

    /** Path segments for an id or a token: valid ones are the route's own, these are the hostile ones (raw, to encode). */
    static final List<String> PATH_IDS = List.of(
            "-1",
            "0",
            "1",
            "9223372036854775807",
            "9223372036854775808",
            "99999999999999999999999",
            "1e999",
            "1e3",
            "1.5",
            "abc",
            "me",
            " ",
            "NaN",
            "-0",
            "0x10",
            "1".repeat(300),
            "\uD83D\uDE80",
            "日本",
            "a b",
            "..",
            "%",
            "\u0000",
            "\uD800",
            "null",
            "' OR 1=1 --");

    private final Random random;

    FuzzInputs(long seed) {
        this.random = new Random(seed);
    }

    Random random() {
        return random;
    }

    boolean chance(double p) {
        return random.nextDouble() < p;
    }

    <T> T pick(List<T> list) {
        return list.get(random.nextInt(list.size()));
    }

    Object scalar() {
        return pick(SCALARS);
    }

    /** A JSON value of random shape: objects, arrays and scalars, to {@code depth} levels. */
    Object value(int depth) {
        int kind = random.nextInt(depth <= 0 ? 1 : 4);
        if (kind <= 1) return scalar();
        if (kind == 2) {
            List<Object> list = new ArrayList<>();
            for (int i = random.nextInt(4); i > 0; i--) list.add(value(depth - 1));
            return list;
        }
        Map<String, Object> map = new LinkedHashMap<>();
        for (int i = random.nextInt(4); i > 0; i--) map.put(key(), value(depth - 1));
        return map;
    }

    /** A key: mostly field names a route may read, sometimes a hostile one. */
    String key() {
        if (chance(0.7)) return pick(FIELD_NAMES);
        Object s = scalar();
        return s instanceof String str ? str : String.valueOf(s);
    }

    /**
     * A route's valid body, changed the way a hostile client would: a field's value replaced, a field removed or
     * added, a value's type changed, an object nested where a scalar goes; several changes at once at times.
     */
    Object mutate(Object body) {
        int changes = 1 + random.nextInt(3);
        Object out = body;
        for (int i = 0; i < changes; i++) out = mutateOnce(out, 0);
        return out;
    }

    @SuppressWarnings("unchecked")
    private Object mutateOnce(Object v, int depth) {
        if (v instanceof Map<?, ?> m && !m.isEmpty() && chance(0.8)) {
            Map<String, Object> copy = new LinkedHashMap<>((Map<String, Object>) m);
            List<String> keys = new ArrayList<>(copy.keySet());
            String k = pick(keys);
            switch (random.nextInt(5)) {
                case 0 -> copy.remove(k);
                case 1 -> copy.put(key(), value(2));
                default -> copy.put(k, mutateOnce(copy.get(k), depth + 1));
            }
            return copy;
        }
        if (v instanceof List<?> l && !l.isEmpty() && chance(0.7)) {
            List<Object> copy = new ArrayList<>(l);
            int i = random.nextInt(copy.size());
            if (chance(0.3)) copy.add(value(1));
            else copy.set(i, mutateOnce(copy.get(i), depth + 1));
            return copy;
        }
        return switch (random.nextInt(6)) {
            case 0 -> value(2);
            case 1 -> List.of(v == null ? "x" : v);
            case 2 -> Map.of(key(), v == null ? "x" : v);
            default -> scalar();
        };
    }

    /** Body text that is not a JSON object at all, or is one only a parser's limits stop. */
    String rawBody() {
        return switch (random.nextInt(12)) {
            case 0 -> "";
            case 1 -> "null";
            case 2 -> "[".repeat(5000) + "]".repeat(5000);
            case 3 -> "{\"a\":".repeat(3000) + "1" + "}".repeat(3000);
            case 4 -> "{\"label\": \"unterminated";
            case 5 -> "{\"disk\": 1e999999999}";
            case 6 -> "{\"x\": " + "9".repeat(2000) + "}";
            case 7 -> "not json at all";
            case 8 -> "{\"a\": 1,}";
            case 9 -> "\"just a string\"";
            case 10 -> "{\"a\": NaN, \"b\": Infinity}";
            default -> "{\"" + "k".repeat(100) + "\": \"" + "v".repeat(200_000) + "\"}";
        };
    }

    /** Bytes no UTF-8 decoder accepts, inside a JSON string. */
    byte[] invalidUtf8Body() {
        byte[] head = "{\"label\": \"".getBytes(StandardCharsets.UTF_8);
        byte[][] bad = {
            {(byte) 0xff},
            {(byte) 0xc3, 0x28},
            {(byte) 0xed, (byte) 0xa0, (byte) 0x80},
            {(byte) 0xf8, (byte) 0x88, (byte) 0x80, (byte) 0x80, (byte) 0x80},
            {0}
        };
        byte[] mid = bad[random.nextInt(bad.length)];
        byte[] tail = "\"}".getBytes(StandardCharsets.UTF_8);
        byte[] out = new byte[head.length + mid.length + tail.length];
        System.arraycopy(head, 0, out, 0, head.length);
        System.arraycopy(mid, 0, out, head.length, mid.length);
        System.arraycopy(tail, 0, out, head.length + mid.length, tail.length);
        return out;
    }

    /** A path segment: hostile, percent-encoded as a client would send it (%00 included, which Jetty refuses). */
    String pathSegment() {
        return encode(pick(PATH_IDS));
    }

    /** One query parameter with a hostile value (JSON of random shape for the JSON-valued ones). */
    String queryParam() {
        String name = chance(0.9) ? pick(QUERY_NAMES) : key();
        Object v = chance(0.5) ? value(3) : scalar();
        String text = v instanceof String s && !chance(0.2) ? s : json(v);
        return encode(name) + "=" + encode(text);
    }

    /** JSON text of a value, numbers as given, every surrogate and control character escaped (lone ones too). */
    static String json(Object v) {
        StringBuilder b = new StringBuilder();
        write(b, v);
        return b.toString();
    }

    private static void write(StringBuilder b, Object v) {
        switch (v) {
            case null -> b.append("null");
            case Literal l -> b.append(l.text());
            case String s -> string(b, s);
            case Map<?, ?> m -> {
                b.append('{');
                boolean first = true;
                for (Map.Entry<?, ?> e : m.entrySet()) {
                    if (!first) b.append(',');
                    first = false;
                    string(b, String.valueOf(e.getKey()));
                    b.append(':');
                    write(b, e.getValue());
                }
                b.append('}');
            }
            case List<?> l -> {
                b.append('[');
                for (int i = 0; i < l.size(); i++) {
                    if (i > 0) b.append(',');
                    write(b, l.get(i));
                }
                b.append(']');
            }
            case Double d when d.isInfinite() || d.isNaN() -> b.append(d > 0 ? "1e999" : "-1e999");
            default -> b.append(v);
        }
    }

    private static void string(StringBuilder b, String s) {
        b.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '"' || c == '\\') b.append('\\').append(c);
            else if (c < 0x20 || Character.isSurrogate(c)) b.append(String.format("\\u%04x", (int) c));
            else b.append(c);
        }
        b.append('"');
    }

    /**
     * Percent-encodes text as UTF-8; a lone surrogate (which has no UTF-8) is sent as the bytes of its CESU form
     * (%ED%A0%80), as a hostile client would.
     */
    static String encode(String s) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if ((c >= 'a' && c <= 'z')
                    || (c >= 'A' && c <= 'Z')
                    || (c >= '0' && c <= '9')
                    || c == '-'
                    || c == '_'
                    || c == '.'
                    || c == '~') {
                b.append(c);
                continue;
            }
            byte[] bytes;
            if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                bytes = s.substring(i, i + 2).getBytes(StandardCharsets.UTF_8);
                i++;
            } else if (Character.isSurrogate(c)) {
                bytes = new byte[] {
                    (byte) (0xE0 | (c >> 12)), (byte) (0x80 | ((c >> 6) & 0x3F)), (byte) (0x80 | (c & 0x3F))
                };
            } else {
                bytes = String.valueOf(c).getBytes(StandardCharsets.UTF_8);
            }
            for (byte x : bytes) b.append('%').append(String.format("%02X", x & 0xFF));
        }
        return b.toString();
    }

    /** Field names routes read (from the wire records and endpoints), so random bodies reach past "unknown field". */
    static final List<String> FIELD_NAMES = List.of(
            "image",
            "label",
            "disk",
            "env",
            "onstart",
            "args",
            "args_str",
            "runtype",
            "price",
            "target_state",
            "cancel_unavail",
            "template_hash_id",
            "template_id",
            "key",
            "value",
            "command",
            "before_id",
            "hash_id",
            "name",
            "desc",
            "q",
            "select_cols",
            "order",
            "limit",
            "type",
            "gpu_name",
            "num_gpus",
            "dph_total",
            "machine_id",
            "machine",
            "price_gpu",
            "price_disk",
            "price_inetu",
            "price_inetd",
            "price_min_bid",
            "min_chunk",
            "end_date",
            "credit_discount_max",
            "ssh_key",
            "id",
            "ids",
            "instance_ids",
            "state",
            "problem",
            "message",
            "amount",
            "reason",
            "instance_id",
            "recipient",
            "sender",
            "email",
            "password",
            "fullname",
            "permissions",
            "ttl_seconds",
            "expires_at",
            "key_params",
            "verification",
            "revision",
            "wait_seconds",
            "instances",
            "removed",
            "status",
            "tx_bytes",
            "rx_bytes",
            "gpu_ram",
            "disk_space",
            "cpu_cores",
            "cpu_ram",
            "inet_up",
            "inet_down",
            "direct_port_start",
            "direct_port_end",
            "public_ipaddr",
            "geolocation",
            "driver_version",
            "cuda_max_good",
            "tail",
            "filter",
            "sdate",
            "duration",
            "maintenance_category",
            "client_id",
            "extra_filters",
            "allocated_storage",
            "select_filters",
            "order_by",
            "explain",
            "ssh_port",
            "ports",
            "exit_code",
            "status_msg",
            "uptime",
            "normal_user",
            "ssh_key_ids",
            "image_login",
            "use_jupyter_lab",
            "jupyter_dir",
            "balance_threshold");
}
