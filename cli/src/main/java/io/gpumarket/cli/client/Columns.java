package io.gpumarket.cli.client;

import static io.gpumarket.cli.client.Table.number;

import io.gpumarket.cli.client.Table.Column;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;

/**
 * The tables the verbs print. Offers, instances, machines and the user are vastai's column lists
 * ({@code vastai/cli/display.py}: {@code displayable_fields}, {@code instance_fields}, {@code machine_fields},
 * {@code user_fields}); the rest (keys, templates, billing) are ours, where vastai prints raw dicts.
 */
public final class Columns {
    private static final DateTimeFormatter DAY_TIME =
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm").withZone(ZoneOffset.UTC);

    private Columns() {}

    public static final List<Column> OFFERS = List.of(
            Column.of("id", "ID", "{}"),
            Column.of("cuda_max_good", "CUDA", "{:0.1f}"),
            Column.of("num_gpus", "N", "{}x").right(),
            Column.of("gpu_name", "Model", "{}"),
            Column.of("pcie_bw", "PCIE", "{:0.1f}"),
            Column.of("cpu_ghz", "cpu_ghz", "{:0.1f}"),
            Column.of("cpu_cores_effective", "vCPUs", "{:0.1f}"),
            Column.of("cpu_ram", "RAM", "{:0.1f}", v -> number(v) / 1000).right(),
            Column.of("gpu_ram", "VRAM", "{:0.1f}", v -> number(v) / 1000).right(),
            Column.of("disk_space", "Disk", "{:.0f}"),
            Column.of("dph_total", "$/hr", "{:0.4f}"),
            Column.of("dlperf", "DLP", "{:0.1f}"),
            Column.of("dlperf_per_dphtotal", "DLP/$", "{:0.2f}"),
            Column.of("score", "score", "{:0.1f}"),
            Column.of("driver_version", "NV Driver", "{}"),
            Column.of("inet_up", "Net_up", "{:0.1f}"),
            Column.of("inet_down", "Net_down", "{:0.1f}"),
            Column.of("reliability", "R", "{:0.1f}", v -> number(v) * 100),
            Column.of("duration", "Max_Days", "{:0.1f}", v -> number(v) / (24.0 * 60.0 * 60.0)),
            Column.of("machine_id", "mach_id", "{}"),
            Column.of("verification", "status", "{}"),
            Column.of("host_id", "host_id", "{}"),
            Column.of("direct_port_count", "ports", "{}"),
            Column.of("geolocation", "country", "{}"));

    /** {@code --type reserved}: the discounted price and no score. */
    public static final List<Column> OFFERS_RESERVED = OFFERS.stream()
            .filter(c -> !c.key().equals("score") && !c.key().equals("gpu_ram"))
            .map(c -> c.key().equals("dph_total") ? Column.of("discounted_dph_total", "$/hr", "{:0.4f}") : c)
            .toList();

    public static final List<Column> INSTANCES = List.of(
            Column.of("id", "ID", "{}"),
            Column.of("machine_id", "Machine", "{}"),
            Column.of("actual_status", "Status", "{}"),
            Column.of("num_gpus", "Num", "{}x").right(),
            Column.of("gpu_name", "Model", "{}"),
            Column.of("gpu_util", "Util. %", "{:0.1f}"),
            Column.of("cpu_cores_effective", "vCPUs", "{:0.1f}"),
            Column.of("cpu_ram", "RAM", "{:0.1f}", v -> number(v) / 1000).right(),
            Column.of("disk_space", "Storage", "{:.0f}"),
            Column.of("ssh_host", "SSH Addr", "{}"),
            Column.of("ssh_port", "SSH Port", "{}"),
            Column.of("dph_total", "$/hr", "{:0.4f}"),
            Column.of("image_uuid", "Image", "{}"),
            Column.of("inet_up", "Net up", "{:0.1f}"),
            Column.of("inet_down", "Net down", "{:0.1f}"),
            Column.of("reliability2", "R", "{:0.1f}", v -> number(v) * 100),
            Column.of("label", "Label", "{}"),
            Column.of("duration", "age(hours)", "{:0.2f}", v -> number(v) / 3600.0),
            Column.of("uptime_mins", "uptime(mins)", "{:0.2f}"));

    /** vastai's {@code volume_fields} ({@code show volumes}). */
    public static final List<Column> VOLUMES = List.of(
            Column.of("id", "ID", "{}"),
            Column.of("cluster_id", "Cluster ID", "{}"),
            Column.of("label", "Name", "{}"),
            Column.of("disk_space", "Disk", "{:.0f}"),
            Column.of("status", "status", "{}"),
            Column.of("disk_name", "Disk Name", "{}"),
            Column.of("driver_version", "NV Driver", "{}"),
            Column.of("inet_up", "Net_up", "{:0.1f}"),
            Column.of("inet_down", "Net_down", "{:0.1f}"),
            Column.of("reliability2", "R", "{:0.1f}", v -> number(v) * 100),
            Column.of("duration", "age(hours)", "{:0.2f}", v -> number(v) / 3600.0),
            Column.of("machine_id", "mach_id", "{}"),
            Column.of("verification", "Verification", "{}"),
            Column.of("host_id", "host_id", "{}"),
            Column.of("geolocation", "country", "{}"),
            Column.of("instances", "instances", "{}"));

    /** vastai's {@code vol_displayable_fields} ({@code search volumes}). */
    public static final List<Column> VOLUME_OFFERS = List.of(
            Column.of("id", "ID", "{}"),
            Column.of("cuda_max_good", "CUDA", "{:0.1f}"),
            Column.of("cpu_ghz", "cpu_ghz", "{:0.1f}"),
            Column.of("disk_bw", "Disk B/W", "{:0.1f}"),
            Column.of("disk_space", "Disk", "{:.0f}"),
            Column.of("disk_name", "Disk Name", "{}"),
            Column.of("storage_cost", "$/Gb/Month", "{:.2f}"),
            Column.of("driver_version", "NV Driver", "{}"),
            Column.of("inet_up", "Net_up", "{:0.1f}"),
            Column.of("inet_down", "Net_down", "{:0.1f}"),
            Column.of("reliability", "R", "{:0.1f}", v -> number(v) * 100),
            Column.of("duration", "Max_Days", "{:0.1f}", v -> number(v) / (24.0 * 60.0 * 60.0)),
            Column.of("machine_id", "mach_id", "{}"),
            Column.of("verification", "status", "{}"),
            Column.of("host_id", "host_id", "{}"),
            Column.of("geolocation", "country", "{}"));

    public static final List<Column> MACHINES = List.of(
            Column.of("id", "ID", "{}"),
            Column.of("num_gpus", "#gpus", "{}"),
            Column.of("gpu_name", "gpu_name", "{}"),
            Column.of("disk_space", "disk", "{}"),
            Column.of("hostname", "hostname", "{}", v -> {
                String s = String.valueOf(v);
                return s.length() > 16 ? s.substring(0, 16) : s;
            }),
            Column.of("driver_version", "driver", "{}"),
            Column.of("reliability2", "reliab", "{:0.4f}"),
            Column.of("verification", "veri", "{}"),
            Column.of("public_ipaddr", "ip", "{}"),
            Column.of("geolocation", "geoloc", "{}"),
            Column.of("num_reports", "reports", "{}"),
            Column.of("listed_gpu_cost", "gpuD_$/h", "{:0.2f}"),
            Column.of("min_bid_price", "gpuI$/h", "{:0.2f}"),
            Column.of("credit_discount_max", "rdisc", "{:0.2f}"),
            Column.of("listed_inet_up_cost", "netu_$/TB", "{:0.2f}", v -> number(v) * 1024),
            Column.of("listed_inet_down_cost", "netd_$/TB", "{:0.2f}", v -> number(v) * 1024),
            Column.of("gpu_occupancy", "occup", "{}"));

    public static final List<Column> USER = List.of(
            Column.of("balance", "Balance", "{}"),
            Column.of("balance_threshold", "Bal. Thld", "{}"),
            Column.of("balance_threshold_enabled", "Bal. Thld Enabled", "{}"),
            Column.of("billaddress_city", "City", "{}"),
            Column.of("billaddress_country", "Country", "{}"),
            Column.of("billaddress_line1", "Addr Line 1", "{}"),
            Column.of("billaddress_line2", "Addr line 2", "{}"),
            Column.of("billaddress_zip", "Zip", "{}"),
            Column.of("billed_expected", "Billed Expected", "{}"),
            Column.of("billed_verified", "Billed Vfy", "{}"),
            Column.of("billing_creditonly", "Billing Creditonly", "{}"),
            Column.of("can_pay", "Can Pay", "{}"),
            Column.of("credit", "Credit", "{:0.2f}"),
            Column.of("email", "Email", "{}"),
            Column.of("email_verified", "Email Vfy", "{}"),
            Column.of("fullname", "Full Name", "{}"),
            Column.of("got_signup_credit", "Got Signup Credit", "{}"),
            Column.of("has_billing", "Has Billing", "{}"),
            Column.of("has_payout", "Has Payout", "{}"),
            Column.of("id", "Id", "{}"),
            Column.of("last4", "Last4", "{}"),
            Column.of("paid_expected", "Paid Expected", "{}"),
            Column.of("paid_verified", "Paid Vfy", "{}"),
            Column.of("password_resettable", "Pwd Resettable", "{}"),
            Column.of("paypal_email", "Paypal Email", "{}"),
            Column.of("ssh_key", "Ssh Key", "{}"),
            Column.of("user", "User", "{}"),
            Column.of("username", "Username", "{}"));

    public static final List<Column> SSH_KEYS = List.of(
            Column.of("id", "ID", "{}"),
            Column.of("created_at", "created", "{}", Columns::date),
            Column.of("key", "key", "{}", v -> abbreviate(String.valueOf(v), 60)));

    /** vastai's {@code audit_log_fields}. */
    public static final List<Column> AUDIT_LOGS = List.of(
            Column.of("ip_address", "ip_address", "{}"),
            Column.of("api_key_id", "api_key_id", "{}"),
            Column.of("created_at", "created_at", "{}"),
            Column.of("api_route", "api_route", "{}"),
            Column.of("args", "args", "{}"));

    public static final List<Column> TEAM_MEMBERS = List.of(
            Column.of("id", "ID", "{}"),
            Column.of("username", "Username", "{}"),
            Column.of("email", "Email", "{}"),
            Column.of("roles", "Roles", "{}"));

    public static final List<Column> SUBACCOUNTS = List.of(
            Column.of("id", "ID", "{}"),
            Column.of("username", "Username", "{}"),
            Column.of("email", "Email", "{}"),
            Column.of("credit", "Credit", "{:0.2f}"),
            Column.of("total_charged", "Charged", "{:0.2f}"),
            Column.of("live_instances", "Instances", "{}"));

    public static final List<Column> API_KEYS = List.of(
            Column.of("id", "ID", "{}"),
            Column.of("name", "name", "{}"),
            Column.of("created_at", "created", "{}", Columns::date),
            Column.of("expires_at", "expires", "{}", Columns::date),
            Column.of("rights", "rights", "{}", v -> abbreviate(String.valueOf(v), 60)));

    public static final List<Column> TEMPLATES = List.of(
            Column.of("id", "ID", "{}"),
            Column.of("hash_id", "hash_id", "{}"),
            Column.of("name", "name", "{}"),
            Column.of("image", "image", "{}"),
            Column.of("tag", "tag", "{}"),
            Column.of("runtype", "runtype", "{}"),
            Column.of("recommended_disk_space", "disk", "{}"),
            Column.of("private", "private", "{}"),
            Column.of("creator_id", "creator", "{}"));

    /** The results of {@code /api/v0/charges/} and {@code /api/v1/invoices/} (docs/vast-compatibility.md §b.6). */
    public static final List<Column> BILLING_RESULTS = List.of(
            Column.of("start", "start", "{}", Columns::date),
            Column.of("end", "end", "{}", Columns::date),
            Column.of("type", "type", "{}"),
            Column.of("source", "source", "{}"),
            Column.of("description", "description", "{}"),
            Column.of("amount", "amount", "{:0.4f}").right());

    public static final List<Column> EARNINGS_PER_MACHINE = List.of(
            Column.of("machine_id", "machine", "{}"),
            Column.of("gpu_earn", "gpu_$", "{:0.4f}").right(),
            Column.of("sto_earn", "storage_$", "{:0.4f}").right(),
            Column.of("bwu_earn", "net_up_$", "{:0.4f}").right(),
            Column.of("bwd_earn", "net_down_$", "{:0.4f}").right());

    /** vastai's maintenance columns ({@code show maints}), times as UTC dates. */
    public static final List<Column> MAINTENANCES = List.of(
            Column.of("machine_id", "Machine ID", "{}"),
            Column.of("start_time", "Start (UTC)", "{}", Columns::date),
            Column.of("end_time", "End (UTC)", "{}", Columns::date),
            Column.of("duration_hours", "Duration (Hrs)", "{:0.1f}").right(),
            Column.of("maintenance_category", "Category", "{}"));

    /** Renters' reports on a machine ({@code reports ID}). */
    public static final List<Column> REPORTS = List.of(
            Column.of("created_at", "When (UTC)", "{}", Columns::date),
            Column.of("instance_id", "Instance", "{}"),
            Column.of("problem", "Problem", "{}"),
            Column.of("message", "Message", "{}"));

    private static Object date(Object epochSeconds) {
        if (!(epochSeconds instanceof Number n)) return epochSeconds;
        return DAY_TIME.format(Instant.ofEpochMilli((long) (n.doubleValue() * 1000)));
    }

    private static String abbreviate(String s, int max) {
        return s.length() <= max ? s : s.substring(0, max - 1) + "…";
    }
}
