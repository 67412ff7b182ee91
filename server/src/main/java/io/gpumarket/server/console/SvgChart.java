package io.gpumarket.server.console;

import java.util.List;
import java.util.Locale;

/**
 * Small charts drawn by the server as inline SVG (no chart script, nothing from a CDN): bars for amounts per day and
 * a line for a balance over time. Each is an image with a text summary for screen readers; the page shows the same
 * numbers in a table beside it. Values are dollars.
 */
final class SvgChart {
    /** One point: its label (a day) and its value. */
    record Point(String label, double value) {}

    private static final int W = 640;
    private static final int H = 200;
    private static final int LEFT = 56;
    private static final int BOTTOM = 24;

    private SvgChart() {}

    static String bars(String title, List<Point> points) {
        return chart(title, points, true);
    }

    static String line(String title, List<Point> points) {
        return chart(title, points, false);
    }

    private static String chart(String title, List<Point> points, boolean bars) {
        double max = 0;
        double min = 0;
        for (Point p : points) {
            max = Math.max(max, p.value());
            min = Math.min(min, p.value());
        }
        if (max == min) max = min + 1;
        double plotW = W - LEFT - 8;
        double plotH = H - BOTTOM - 8;
        double step = points.isEmpty() ? plotW : plotW / points.size();
        final double lo = min;
        final double span = max - min;
        StringBuilder svg = new StringBuilder();
        svg.append("<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart\" viewBox=\"0 0 ")
                .append(W)
                .append(' ')
                .append(H)
                .append("\" role=\"img\" aria-label=\"")
                .append(esc(title + ": " + summary(points)))
                .append("\">");
        double zeroY = 8 + plotH - (0 - lo) / span * plotH;
        // axis labels: the top, zero and (when negative) the bottom value
        svg.append(label(LEFT - 6, 14, usd(max), "end"));
        svg.append(label(LEFT - 6, zeroY + 4, "$0", "end"));
        if (min < 0) svg.append(label(LEFT - 6, 8 + plotH, usd(min), "end"));
        svg.append("<line x1=\"")
                .append(LEFT)
                .append("\" x2=\"")
                .append(W - 8)
                .append("\" y1=\"")
                .append(f(zeroY))
                .append("\" y2=\"")
                .append(f(zeroY))
                .append("\" stroke=\"#d0d7de\"/>");
        StringBuilder path = new StringBuilder();
        for (int i = 0; i < points.size(); i++) {
            Point p = points.get(i);
            double x = LEFT + i * step;
            double y = 8 + plotH - (p.value() - lo) / span * plotH;
            if (bars) {
                double top = Math.min(y, zeroY);
                svg.append("<rect x=\"")
                        .append(f(x + step * 0.15))
                        .append("\" y=\"")
                        .append(f(top))
                        .append("\" width=\"")
                        .append(f(Math.max(1, step * 0.7)))
                        .append("\" height=\"")
                        .append(f(Math.abs(zeroY - y)))
                        .append("\" fill=\"#0a58ca\"><title>")
                        .append(esc(p.label() + ": " + usd(p.value())))
                        .append("</title></rect>");
            } else {
                path.append(i == 0 ? 'M' : 'L')
                        .append(f(x + step / 2))
                        .append(' ')
                        .append(f(y));
            }
            // a date under the first, the last and every seventh bar (not one too close to the last to read)
            boolean last = i == points.size() - 1;
            if (last || (i % 7 == 0 && points.size() - 1 - i >= 3)) {
                svg.append(label(x + step / 2, H - 6, p.label(), "middle"));
            }
        }
        if (!bars && !points.isEmpty()) {
            svg.append("<path d=\"").append(path).append("\" fill=\"none\" stroke=\"#0a58ca\" stroke-width=\"2\"/>");
        }
        return svg.append("</svg>").toString();
    }

    private static String summary(List<Point> points) {
        if (points.isEmpty()) return "no data";
        double total = 0;
        double peak = Double.NEGATIVE_INFINITY;
        for (Point p : points) {
            total += p.value();
            peak = Math.max(peak, p.value());
        }
        return points.size() + " days from " + points.get(0).label() + " to "
                + points.get(points.size() - 1).label()
                + ", highest " + usd(peak) + ", last "
                + usd(points.get(points.size() - 1).value()) + ", sum "
                + usd(total);
    }

    private static String label(double x, double y, String text, String anchor) {
        return "<text x=\"" + f(x) + "\" y=\"" + f(y) + "\" font-size=\"11\" fill=\"#57606a\" text-anchor=\"" + anchor
                + "\">" + esc(text) + "</text>";
    }

    private static String usd(double v) {
        return String.format(Locale.ROOT, "$%.3f", v);
    }

    private static String f(double v) {
        return String.format(Locale.ROOT, "%.1f", v);
    }

    private static String esc(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
