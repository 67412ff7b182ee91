package io.gpumarket.store;

import java.util.List;

/**
 * Where a database's schema stands against this build's migrations ({@code gpumarket server --check}): the version
 * applied, the newest this build has, the migrations a start would apply, and what is wrong (a failed migration, one
 * applied that this build does not know — a database upgraded by a newer build —, a changed checksum).
 */
public record SchemaStatus(String current, String latest, List<String> pending, List<String> problems) {
    public SchemaStatus {
        pending = List.copyOf(pending);
        problems = List.copyOf(problems);
    }

    /** Nothing to apply and nothing wrong: a server would start on it as it is. */
    public boolean upToDate() {
        return pending.isEmpty() && problems.isEmpty();
    }
}
