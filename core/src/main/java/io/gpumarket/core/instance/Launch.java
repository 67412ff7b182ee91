package io.gpumarket.core.instance;

import java.util.List;

/**
 * What an instance runs, fixed when it is created: the image, its env (variables and Docker options), the
 * onstart script, the entrypoint arguments, and how it is launched.
 *
 * @param args         entrypoint arguments ({@code image_args}), never null
 * @param imageRuntype the client's runtype tokens as sent ({@code "ssh_direc ssh_proxy"}), shown as {@code image_runtype}
 */
public record Launch(String image, List<EnvPair> env, String onstart, List<String> args, String argsStr,
                     Runtype runtype, String imageRuntype) {
    public Launch {
        if (image == null || image.isBlank()) throw new IllegalArgumentException("image is required");
        env = env == null ? List.of() : List.copyOf(env);
        args = args == null ? List.of() : List.copyOf(args);
        if (runtype == null) throw new IllegalArgumentException("runtype is required");
        if (imageRuntype == null) imageRuntype = runtype.wire();
    }
}
