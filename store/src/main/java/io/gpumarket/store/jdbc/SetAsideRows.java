package io.gpumarket.store.jdbc;

import io.gpumarket.store.SetAside;
import java.time.Instant;
import java.util.List;
import org.jdbi.v3.core.Handle;

/** The statements of {@code contracts_set_aside}: contracts the meter could not price and charges no further. */
final class SetAsideRows {
    private static final int REASON_MAX = 1000;

    private SetAsideRows() {}

    /** False when it was set aside already (the first reason stays). */
    static boolean insert(Handle h, long instanceId, Instant at, Instant chargedTo, String reason) {
        boolean there = h.createQuery("SELECT count(*) FROM contracts_set_aside WHERE instance_id = :id")
                        .bind("id", instanceId)
                        .mapTo(Long.class)
                        .one()
                > 0;
        if (there) return false;
        String r = reason == null ? "" : reason.length() > REASON_MAX ? reason.substring(0, REASON_MAX) : reason;
        h.createUpdate(
                        "INSERT INTO contracts_set_aside (instance_id, at, charged_to, reason) VALUES (:id, :at, :charged, :reason)")
                .bind("id", instanceId)
                .bind("at", at.toEpochMilli())
                .bind("charged", chargedTo.toEpochMilli())
                .bind("reason", r)
                .execute();
        return true;
    }

    static List<SetAside> all(Handle h) {
        return h.createQuery("SELECT * FROM contracts_set_aside ORDER BY instance_id")
                .map((rs, ctx) -> new SetAside(
                        rs.getLong("instance_id"),
                        Columns.instant(rs, "at"),
                        Columns.instant(rs, "charged_to"),
                        rs.getString("reason")))
                .list();
    }
}
