package io.gpumarket.server.http;

import io.gpumarket.api.ActualStatus;
import io.gpumarket.core.bid.BidState;
import io.gpumarket.core.instance.AgentState;
import io.gpumarket.core.instance.ContractPrices;
import io.gpumarket.core.instance.EnvPair;
import io.gpumarket.core.instance.Instance;
import io.gpumarket.core.instance.IntendedStatus;
import io.gpumarket.core.machine.Listing;
import io.gpumarket.core.machine.Machine;
import io.gpumarket.core.machine.MachineSpec;
import io.gpumarket.core.money.Money;
import io.gpumarket.core.offer.OfferFields;
import io.gpumarket.core.offer.OfferPricing;
import io.gpumarket.core.offer.OfferSlot;
import io.gpumarket.core.offer.OfferView;
import io.gpumarket.core.offer.PriceContext;
import io.gpumarket.core.offer.PriceType;
import io.gpumarket.core.template.TemplateRef;
import io.gpumarket.server.service.ShownInstance;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * An instance as Vast clients read it (docs/vast-compatibility.md §f.1). The hardware fields are rendered exactly as the machine's
 * offers render them (core {@link OfferFields}), priced with the contract's frozen prices and its rented disk;
 * the instance's own fields are laid over them. Shapes clients dereference unconditionally are kept: numeric
 * {@code start_date}, {@code extra_env} always a list of pairs, {@code ports} always a map (empty unless the
 * instance is running).
 */
final class InstanceViews {
    private static final Set<String> OFFER_ONLY = Set.of("rn", "rented", "ask_contract_id");

    private InstanceViews() {}

    static Map<String, Object> of(ShownInstance s) {
        Instance i = s.instance();
        Machine m = s.machine();
        MachineSpec spec = m.spec();
        ContractPrices p = i.prices();
        AgentState agent = i.agent();
        long now = s.now().getEpochSecond();
        Listing frozen = new Listing(
                p.gpuPerHour(), p.diskPerGbMonth(), p.inetUpPerGb(), p.inetDownPerGb(), 0, 1, p.endDate(), 0.0);
        // A machine re-registered with fewer GPUs than a contract holds still renders; the count shown is the
        // contract's.
        OfferSlot slot = new OfferSlot(i.offerId(), m.id(), Math.min(i.numGpus(), spec.numGpus()));
        Map<String, Object> v = OfferFields.render(
                new OfferView(m.withListing(frozen), slot, s.model()),
                new PriceContext(PriceType.ON_DEMAND, i.diskGb(), now, Set.of()));
        OFFER_ONLY.forEach(v::remove);

        double dphBase = Money.toDollars(p.gpuPerHour() * i.numGpus());
        double storage = OfferPricing.storageTotalCost(Money.toDollars(p.diskPerGbMonth()), i.diskGb());
        boolean running = s.actualStatus() == ActualStatus.RUNNING;
        double start = i.createdAt().toEpochMilli() / 1000.0;

        v.put("id", i.id());
        v.put("machine_id", m.id());
        v.put("host_id", m.hostId());
        v.put("bundle_id", i.offerId());
        v.put("num_gpus", i.numGpus());
        ActualStatus shown = shownStatus(s);
        v.put("actual_status", shown == null ? null : shown.wire()); // a string: the v1 list filters these maps
        v.put("intended_status", i.intendedStatus().wire());
        v.put("cur_state", i.curState());
        v.put("next_state", i.intendedStatus().wire());
        // the server's reason for stopping it (credit ran out, preempted) says more than the agent's "stopped"
        String bidMsg = bidMessage(i);
        v.put("status_msg", i.stopReason() != null ? i.stopReason() : bidMsg != null ? bidMsg : agent.statusMsg());
        v.put("label", i.label());
        TemplateRef t = s.template(); // as it was when the instance was created from it
        v.put("template_id", t == null ? null : t.id());
        v.put("template_hash_id", t == null ? null : t.hashId());
        v.put("template_name", t == null ? null : t.name());
        v.put("image_uuid", i.launch().image());
        v.put("image_args", i.launch().args());
        v.put("image_runtype", i.launch().imageRuntype());
        v.put("extra_env", pairs(i.launch().env()));
        v.put("onstart", i.launch().onstart());
        v.put("args_str", i.launch().argsStr());
        v.put("jupyter_token", s.jupyterToken());
        v.put("ssh_host", sshHost(spec));
        v.put("ssh_port", i.sshPort());
        v.put("ssh_idx", "");
        v.put("machine_dir_ssh_port", i.sshPort());
        v.put("public_ipaddr", spec.publicIpaddr());
        // SkyPilot takes its internal IP from here (strip()): the address the instance's published ports are on
        v.put("local_ipaddrs", spec.publicIpaddr() == null ? "" : spec.publicIpaddr());
        v.put("ports", running ? ports(i) : Map.of());
        List<Integer> held = held(i);
        v.put("direct_port_start", held.isEmpty() ? -1 : held.get(0));
        v.put("direct_port_end", held.isEmpty() ? -1 : held.get(held.size() - 1));
        v.put("direct_port_count", held.size());
        v.put("start_date", start);
        v.put("end_date", (double) p.endDate());
        v.put("duration", Math.max(0, s.now().toEpochMilli() / 1000.0 - start));
        v.put(
                "uptime_mins",
                running && agent.startedAt() != null
                        ? Math.max(
                                0, Duration.between(agent.startedAt(), s.now()).toMillis() / 60_000.0)
                        : null);
        v.put("disk_space", i.diskGb());
        v.put("disk_usage", agent.diskUsageGb() == null ? -1.0 : agent.diskUsageGb());
        v.put("disk_util", agent.diskUsageGb() == null ? -1.0 : agent.diskUsageGb() / i.diskGb());
        v.put("cpu_util", agent.cpuUtil() == null ? 0.0 : agent.cpuUtil());
        v.put("gpu_util", 0.0);
        v.put("gpu_temp", null);
        v.put("mem_usage", null);
        v.put("mem_limit", null);
        v.put("vmem_usage", null);
        v.put("dph_base", dphBase);
        v.put("dph_total", dphBase + storage);
        v.put("storage_cost", Money.toDollars(p.diskPerGbMonth()));
        v.put("storage_total_cost", storage);
        v.put("inet_up_cost", Money.toDollars(p.inetUpPerGb()));
        v.put("inet_down_cost", Money.toDollars(p.inetDownPerGb()));
        v.put("is_bid", i.bid());
        v.put("min_bid", m.listing() == null ? 0.0 : Money.toDollars(m.listing().minBidPerGpuHour() * i.numGpus()));
        // beyond Vast: the bid and where it stands, and the contract's record of its last preemption
        BidState b = i.bidState();
        v.put("bid_price", i.bid() ? dphBase : null);
        v.put("bid_state", i.bid() ? b.phase().wire() : null);
        v.put("preempted_reason", b.lastReason());
        v.put("preempted_at", b.lastAt() == null ? null : b.lastAt().toEpochMilli() / 1000.0);
        // a bid's preemption notice, else a move's (it runs out the same window before it is stopped, docs/migrate.md)
        Instant noticeUntil = b.noticeUntil() != null ? b.noticeUntil() : s.moveNoticeUntil();
        v.put("preempt_notice_until", noticeUntil == null ? null : noticeUntil.toEpochMilli() / 1000.0);
        v.put("country_code", spec.countryCode());
        v.put("volume_info", List.of());
        v.put("credit_balance", null);
        v.put("credit_discount", null);
        // the host's announced windows on this machine that have not ended (our field; Vast notifies by e-mail)
        v.put(
                "maintenances",
                s.maintenances().stream().map(MaintenanceViews::of).toList());
        return v;
    }

    /**
     * The distinct {@code actual_status}, {@code verification} and {@code gpu_name} combinations of these instance
     * views, as vastai's {@code show instances} reads them from {@code /instances/filters/}.
     */
    static List<Map<String, Object>> filters(List<Map<String, Object>> views) {
        java.util.LinkedHashSet<Map<String, Object>> combos = new java.util.LinkedHashSet<>();
        for (Map<String, Object> v : views) {
            Map<String, Object> c = new LinkedHashMap<>();
            c.put("actual_status", v.get("actual_status"));
            c.put("verification", v.get("verification"));
            c.put("gpu_name", v.get("gpu_name"));
            combos.add(c);
        }
        return List.copyOf(combos);
    }

    /**
     * A bid that wants to run but has no GPUs yet (created or started without priority), or an on-demand instance
     * waiting for a preempted bid's notice to end, shows {@code scheduling}, as Vast's "waiting for GPU
     * availability"; everything else shows what its agent (or the heartbeat) says.
     */
    private static ActualStatus shownStatus(ShownInstance s) {
        Instance i = s.instance();
        if (i.intendedStatus() == IntendedStatus.RUNNING
                && i.bidState().phase() == BidState.Phase.SCHEDULING
                && s.actualStatus() != ActualStatus.RUNNING
                && s.actualStatus() != ActualStatus.OFFLINE
                && s.actualStatus() != ActualStatus.UNKNOWN) {
            return ActualStatus.SCHEDULING;
        }
        return s.actualStatus();
    }

    /**
     * Why an instance the renter wants running is not running (or will stop soon) because of bids; null when nothing
     * needs saying (on-demand instances only ever wait for a notice to end).
     */
    static String bidMessage(Instance i) {
        BidState b = i.bidState();
        if (i.intendedStatus() != IntendedStatus.RUNNING) return null;
        return switch (b.phase()) {
            case PREEMPTED ->
                "preempted: " + b.reason() + " (at " + b.since() + "); stopped with its disk kept, it resumes "
                        + "by itself when its bid has priority again";
            case SCHEDULING ->
                "scheduling: waiting for GPUs (" + b.reason() + "); it starts by itself when its bid has " + "priority";
            case NOTICE -> "preemption notice: " + b.reason() + "; it will be stopped at " + b.noticeUntil();
            case HOLDING, IDLE -> null;
        };
    }

    /** The SSH front door listens on the machine itself: its public address (its hostname when it reported none). */
    private static String sshHost(MachineSpec spec) {
        if (spec.publicIpaddr() != null && !spec.publicIpaddr().isBlank()) return spec.publicIpaddr();
        return spec.hostname() == null ? "" : spec.hostname();
    }

    /** Docker's port map, what {@code vastai ssh-url} parses: {"22/tcp": [{"HostIp": "0.0.0.0", "HostPort": "41000"}]}. */
    private static Map<String, Object> ports(Instance i) {
        Map<String, Object> ports = new LinkedHashMap<>();
        if (i.sshPort() > 0) ports.put("22/tcp", binding(i.sshPort()));
        i.ports().forEach((container, host) -> ports.put(container, binding(host)));
        return ports;
    }

    private static List<Map<String, String>> binding(int hostPort) {
        Map<String, String> b = new LinkedHashMap<>();
        b.put("HostIp", "0.0.0.0");
        b.put("HostPort", String.valueOf(hostPort));
        return List.of(b);
    }

    private static List<Integer> held(Instance i) {
        List<Integer> held = new ArrayList<>();
        if (i.sshPort() > 0) held.add(i.sshPort());
        held.addAll(i.ports().values());
        held.sort(Integer::compare);
        return held;
    }

    private static List<List<String>> pairs(List<EnvPair> env) {
        List<List<String>> pairs = new ArrayList<>(env.size());
        for (EnvPair p : env) pairs.add(List.of(p.key(), p.value()));
        return pairs;
    }
}
