package io.gpumarket.core.bid;

import java.time.Duration;
import java.time.Instant;

/**
 * How a bid's {@link BidState} follows the arbitration verdicts (docs/bids.md):
 *
 * <ul>
 *   <li>stopped by its owner: idle;</li>
 *   <li>given GPUs: holds them, unless it had none and another bid of the machine is still running out its
 *       preemption notice on them (then it keeps waiting, so the GPUs are never used twice);</li>
 *   <li>losing GPUs it held: notice for the notice window (when there is one), then preempted;</li>
 *   <li>wanting to run without having held GPUs (created, or started by its owner): scheduling.</li>
 * </ul>
 */
public final class BidPhases {
    private BidPhases() {}

    /**
     * @param noticePending whether another contract of the machine is in its notice window at {@code now}
     */
    public static BidState next(BidState s, Verdict v, Duration notice, Instant now, boolean noticePending) {
        BidState.Phase p = s.phase();
        return switch (v) {
            case IDLE -> p == BidState.Phase.IDLE ? s : s.to(BidState.Phase.IDLE, null, null, null);
            case HOLDS ->
                switch (p) {
                    case HOLDING -> s;
                    case NOTICE -> s.to(BidState.Phase.HOLDING, null, null, null);
                    case IDLE, PREEMPTED, SCHEDULING ->
                        noticePending
                                ? (p == BidState.Phase.IDLE
                                        ? s.to(
                                                BidState.Phase.SCHEDULING,
                                                "waiting for a preempted bid's notice to end",
                                                now,
                                                null)
                                        : s)
                                : s.to(BidState.Phase.HOLDING, null, null, null);
                };
            case OUTBID, DISPLACED_BY_ON_DEMAND ->
                switch (p) {
                    case HOLDING ->
                        notice.isZero() || notice.isNegative()
                                ? s.to(BidState.Phase.PREEMPTED, v.reason(), now, null)
                                : s.to(BidState.Phase.NOTICE, v.reason(), now, now.plus(notice));
                    case NOTICE ->
                        now.isBefore(s.noticeUntil())
                                ? new BidState(
                                        BidState.Phase.NOTICE,
                                        v.reason(),
                                        s.since(),
                                        s.noticeUntil(),
                                        s.lastReason(),
                                        s.lastAt())
                                : s.to(BidState.Phase.PREEMPTED, v.reason(), now, null);
                    case IDLE -> s.to(BidState.Phase.SCHEDULING, v.reason(), now, null);
                    case SCHEDULING, PREEMPTED ->
                        v.reason().equals(s.reason())
                                ? s
                                : new BidState(p, v.reason(), s.since(), null, s.lastReason(), s.lastAt());
                };
        };
    }
}
