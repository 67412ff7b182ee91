package io.gpumarket.core.permission;

import java.math.BigDecimal;
import java.util.Map;
import java.util.Optional;

/**
 * Whether a new key's document grants no more than the key creating it holds, so a scoped key can hand out
 * narrower keys but never widen its own reach. "More" is judged route by route: a category the holder lacks, a
 * whole category where the holder has only some of its routes, a route it lacks, or a constraint looser than the
 * holder's (for each parameter the holder constrains, the new range must lie inside the holder's; bounds that are
 * not numbers must match exactly). A full-access holder (no document) holds everything.
 */
public final class PermissionSubset {
    private PermissionSubset() {}

    /** What the new document grants beyond the holder's; empty when it grants nothing more. */
    public static Optional<String> excess(PermissionDocument wanted, PermissionDocument holder) {
        if (holder == null) return Optional.empty();
        Map<?, ?> have = holder.categories();
        for (Map.Entry<?, ?> c : wanted.categories().entrySet()) {
            String category = String.valueOf(c.getKey());
            if (!(have.get(category) instanceof Map<?, ?> heldRoutes)) return Optional.of("category " + category);
            if (heldRoutes.isEmpty()) continue;
            Map<?, ?> wantedRoutes = (Map<?, ?>) c.getValue();
            if (wantedRoutes.isEmpty())
                return Optional.of("all of " + category + " (this key holds only some of its routes)");
            for (Map.Entry<?, ?> r : wantedRoutes.entrySet()) {
                String route = String.valueOf(r.getKey());
                if (!(heldRoutes.get(route) instanceof Map<?, ?> held)) return Optional.of(route);
                Optional<String> looser = looser(constraints(r.getValue()), constraints(held));
                if (looser.isPresent()) return Optional.of(route + " " + looser.get());
            }
        }
        return Optional.empty();
    }

    private static Map<?, ?> constraints(Object grant) {
        return grant instanceof Map<?, ?> g && g.get("constraints") instanceof Map<?, ?> c ? c : Map.of();
    }

    /** The first parameter the holder constrains that the new grant leaves wider. */
    private static Optional<String> looser(Map<?, ?> wanted, Map<?, ?> held) {
        for (Map.Entry<?, ?> h : held.entrySet()) {
            Object param = h.getKey();
            if (!(wanted.get(param) instanceof Map<?, ?> w)) return Optional.of("without the constraint on " + param);
            if (!(h.getValue() instanceof Map<?, ?> hOps)) continue; // a malformed holder grants nothing anyway
            Range inner = Range.of(w);
            Range outer = Range.of(hOps);
            boolean inside = inner != null && outer != null ? outer.contains(inner) : w.equals(hOps);
            if (!inside) return Optional.of("with " + param + " " + w + " beyond " + hOps);
        }
        return Optional.empty();
    }

    /** A closed numeric range; null bounds are open. */
    private record Range(BigDecimal lo, BigDecimal hi) {
        /** The range the operators allow, or null when a bound is not a number (then only equality is judged). */
        static Range of(Map<?, ?> ops) {
            BigDecimal lo = null;
            BigDecimal hi = null;
            for (Map.Entry<?, ?> op : ops.entrySet()) {
                BigDecimal v;
                try {
                    v = new BigDecimal(String.valueOf(op.getValue()).strip());
                } catch (NumberFormatException e) {
                    return null;
                }
                switch (String.valueOf(op.getKey())) {
                    case "eq" -> {
                        lo = max(lo, v);
                        hi = min(hi, v);
                    }
                    case "gte" -> lo = max(lo, v);
                    case "lte" -> hi = min(hi, v);
                    default -> {
                        return null;
                    }
                }
            }
            return new Range(lo, hi);
        }

        boolean contains(Range inner) {
            boolean loOk = lo == null || (inner.lo != null && inner.lo.compareTo(lo) >= 0);
            boolean hiOk = hi == null || (inner.hi != null && inner.hi.compareTo(hi) <= 0);
            return loOk && hiOk;
        }

        private static BigDecimal max(BigDecimal a, BigDecimal b) {
            return a == null || b.compareTo(a) > 0 ? b : a;
        }

        private static BigDecimal min(BigDecimal a, BigDecimal b) {
            return a == null || b.compareTo(a) < 0 ? b : a;
        }
    }
}
