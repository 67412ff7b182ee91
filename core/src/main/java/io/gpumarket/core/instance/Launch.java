package io.gpumarket.core.instance;

import java.util.List;

/**
 * What an instance runs, fixed when it is created: the image, its env (variables and Docker options), the
 * onstart script, the entrypoint arguments, and how it is launched.
 *
 * @param args         entrypoint arguments ({@code image_args}), never null
 * @param imageRuntype the client's runtype tokens as sent ({@code "ssh_direc ssh_proxy"}), shown as {@code image_runtype}
 * @param imageLogin   {@code image_login}, Docker login flags for a private registry ({@code "-u bob -p secret
 *                     registry.example.org"}); null when the image is public. A credential: handed to the machine's
 *                     agent only, never shown
 */
public record Launch(
        String image,
        List<EnvPair> env,
        String onstart,
        List<String> args,
        String argsStr,
        Runtype runtype,
        String imageRuntype,
        String imageLogin) {
    /** A launch of a public image. */
    public Launch(
            String image,
            List<EnvPair> env,
            String onstart,
            List<String> args,
            String argsStr,
            Runtype runtype,
            String imageRuntype) {
        this(image, env, onstart, args, argsStr, runtype, imageRuntype, null);
    }

    public Launch {
        if (imageLogin != null && imageLogin.isBlank()) imageLogin = null;
        if (image == null || image.isBlank()) throw new IllegalArgumentException("image is required");
        env = env == null ? List.of() : List.copyOf(env);
        args = args == null ? List.of() : List.copyOf(args);
        if (runtype == null) throw new IllegalArgumentException("runtype is required");
        if (imageRuntype == null) imageRuntype = runtype.wire();
    }
}
