package io.gpumarket.store.jdbc;

import io.gpumarket.store.DuplicateException;
import java.sql.SQLException;
import java.util.Optional;
import java.util.function.Function;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.HandleCallback;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.JdbiException;

/**
 * Where a repository call runs: on the handle of the caller's transaction when the repositories came from
 * {@code inTransaction}, else on a handle of its own. Calls made through the {@link WriteGate} on a thread that is
 * already inside a write transaction join it (the gate knows the thread's open handle; on PostgreSQL JDBI keeps it
 * per thread), so a {@code store.repos()} call nested in {@code inTransaction} sees that transaction's writes instead
 * of waiting behind its lock.
 */
final class Session {
    private final Jdbi readers;
    private final Handle bound;
    private final Dialect dialect;
    /** The store's write path; null for a bound session, whose every call runs on {@link #bound}. */
    private final WriteGate gate;

    private Session(Jdbi readers, Handle bound, Dialect dialect, WriteGate gate) {
        this.readers = readers;
        this.bound = bound;
        this.dialect = dialect;
        this.gate = gate;
    }

    Dialect dialect() {
        return dialect;
    }

    /** Each call its own handle (and transaction, for writes), or the thread's current one. */
    static Session perCall(Jdbi readers, Dialect dialect, WriteGate gate) {
        return new Session(readers, null, dialect, gate);
    }

    /** Every call on this handle, inside the transaction it is in. */
    static Session bound(Handle handle, Dialect dialect) {
        return new Session(null, handle, dialect, null);
    }

    /**
     * One read statement. No transaction of its own: a single statement is atomic, and on SQLite an IMMEDIATE
     * transaction would take the write lock just to read. On a readers' connection, unless this thread is inside a
     * write transaction: then on that transaction's handle, so it sees what the transaction wrote.
     */
    <T> T read(HandleCallback<T, RuntimeException> work) {
        if (bound != null) return work.withHandle(bound);
        return gate.heldByCurrentThread() ? gate.joined(work) : readers.withHandle(work);
    }

    /** Writes that commit together (or join the caller's transaction); unique violations become generic duplicates. */
    <T> T write(HandleCallback<T, RuntimeException> work) {
        return write(work, constraint -> "duplicate value for " + constraint);
    }

    /**
     * Writes that commit together (or join the caller's transaction). A transaction of its own goes through the
     * store's {@link WriteGate} first (SQLite: one writer at a time, queued fairly in the JVM, committed in groups).
     *
     * @param duplicate the message of the {@link DuplicateException} thrown when a unique constraint refuses the
     *                  write, given the name (or description) of that constraint
     */
    <T> T write(HandleCallback<T, RuntimeException> work, Function<String, String> duplicate) {
        try {
            return bound != null ? bound.inTransaction(work) : gate.write(work);
        } catch (JdbiException e) {
            Optional<String> constraint = uniqueViolation(e);
            if (constraint.isEmpty()) throw e;
            throw new DuplicateException(duplicate.apply(constraint.get()), e);
        }
    }

    private Optional<String> uniqueViolation(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException sql) {
                Optional<String> constraint = dialect.uniqueViolation(sql);
                if (constraint.isPresent()) return constraint;
            }
        }
        return Optional.empty();
    }
}
