package io.gpumarket.core.search;

import java.util.Locale;

/**
 * How text is compared in searches: case-insensitively, with {@code _} the same as a space, because the CLI
 * turns every underscore into a space while docs and older clients send {@code RTX_4090} as is.
 */
final class SearchText {
    private SearchText() {}

    static String normalize(String s) {
        return s == null ? null : s.replace('_', ' ').toLowerCase(Locale.ROOT);
    }
}
