-- The account's audit log (GET /api/v0/audit_logs/): every state-changing API call that succeeded — who, with which
-- key (its id, never the key), what (method, route, the path's ids), when (epoch ms), from which address. Written in
-- batches by the server (server/…/audit/AuditLog.java): a crash loses at most the last flush interval's entries.
CREATE TABLE audit_log (
    id         ${id_pk},
    user_id    BIGINT NOT NULL,
    api_key_id BIGINT,
    method     TEXT   NOT NULL,
    route      TEXT   NOT NULL,
    route_name TEXT   NOT NULL,
    args       TEXT   NOT NULL,
    status     INTEGER NOT NULL,
    ip_address TEXT   NOT NULL,
    created_at BIGINT NOT NULL
);

-- No foreign key: the batch writer must never fail a flush over one row (an account deleted meanwhile).
CREATE INDEX audit_log_by_user ON audit_log (user_id, id);
