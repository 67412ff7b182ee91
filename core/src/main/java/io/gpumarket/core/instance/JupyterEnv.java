package io.gpumarket.core.instance;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A Jupyter launch's options from the create body ({@code jupyter_dir}; {@code use_jupyter_lab} as vastai sends it,
 * {@code jupyter_lab} as its templates name it) carried to the instance as environment variables its init reads:
 * {@code JUPYTER_DIR} (where Jupyter starts, default /root) and {@code JUPYTER_TYPE=lab} (JupyterLab instead of the
 * classic notebook). They then show in {@code extra_env} as any variable does, and a variable the renter set in
 * {@code env} is left as given.
 */
public final class JupyterEnv {
    private JupyterEnv() {}

    /**
     * @param env the body's {@code env} as sent: the dict form, the Docker-flag string form, or null
     * @return {@code env} with the options added; unchanged when there are none (or when it is of a shape {@link Env}
     *     refuses anyway)
     */
    public static Object with(Object env, String dir, boolean lab) {
        String d = dir == null || dir.isBlank() ? null : dir.strip();
        if (d == null && !lab) return env;
        if (env == null || env instanceof Map<?, ?>) {
            Map<Object, Object> out = new LinkedHashMap<>(env == null ? Map.of() : (Map<?, ?>) env);
            if (d != null) out.putIfAbsent("JUPYTER_DIR", d);
            if (lab) out.putIfAbsent("JUPYTER_TYPE", "lab");
            return out;
        }
        if (env instanceof String flags) {
            StringBuilder b = new StringBuilder(flags.strip());
            if (d != null && !flags.contains("JUPYTER_DIR=")) b.append(" -e ").append(quoted("JUPYTER_DIR=" + d));
            if (lab && !flags.contains("JUPYTER_TYPE=")) b.append(" -e JUPYTER_TYPE=lab");
            return b.toString().strip();
        }
        return env;
    }

    /** One word of the Docker-flag form: quoted when it holds a blank (Env keeps quoted parts together). */
    private static String quoted(String word) {
        return word.chars().anyMatch(Character::isWhitespace) ? "'" + word + "'" : word;
    }
}
