package io.gpumarket.cli.command;

import java.util.ArrayList;
import java.util.List;

/** Bulk verbs send at most 64 ids per call, as vastai does. */
final class Chunks {
    static final int SIZE = 64;

    private Chunks() {}

    static <T> List<List<T>> of(List<T> items) {
        List<List<T>> chunks = new ArrayList<>();
        for (int i = 0; i < items.size(); i += SIZE)
            chunks.add(List.copyOf(items.subList(i, Math.min(items.size(), i + SIZE))));
        return chunks;
    }
}
