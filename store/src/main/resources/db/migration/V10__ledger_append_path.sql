-- The meter appends one entry per paying account every tick (15,000 rows at 100,000 running instances); an index on
-- (user_id, id) takes each of them at a random place in its tree and cost more than the rows themselves
-- (docs/benchmarks.md, "Billing meter"). Nothing on a request path reads a user's whole ledger: balances are kept in
-- account_balances, invoices read the partial index ledger_payments, idempotent appends ledger_idempotency_key,
-- charges are derived from the recorded lifecycle. Reading all of one user's entries (an audit) is a scan.
DROP INDEX IF EXISTS ledger_by_user;
