package io.gpumarket.core.instance;

import java.util.List;

/**
 * The fields of a create-instance body (docs/vast-compatibility.md §f.3) as the client sent them, typed but not yet judged: null means
 * "not given". Kept apart from {@link RentRequest} so a template can fill the gaps first
 * ({@link io.gpumarket.core.template.TemplateLaunch}); {@link #toRequest} then applies the create rules to the
 * result.
 *
 * @param env   the dict or Docker-flag string form, as sent
 * @param price      Vast's bid price (dollars per hour for the instance): an interruptible instance; null on-demand
 * @param imageLogin {@code image_login}: Docker login flags for a private registry, or null
 */
public record RentFields(
        String image,
        Object env,
        String onstart,
        List<String> args,
        String argsStr,
        String runtype,
        String label,
        Double disk,
        String targetState,
        boolean cancelUnavail,
        Object price,
        String imageLogin) {
    /** Fields without a registry login. */
    public RentFields(
            String image,
            Object env,
            String onstart,
            List<String> args,
            String argsStr,
            String runtype,
            String label,
            Double disk,
            String targetState,
            boolean cancelUnavail,
            Object price) {
        this(image, env, onstart, args, argsStr, runtype, label, disk, targetState, cancelUnavail, price, null);
    }

    public RentRequest toRequest() {
        return RentRequest.of(
                image,
                env,
                onstart,
                args,
                argsStr,
                runtype,
                label,
                disk,
                targetState,
                cancelUnavail,
                price,
                imageLogin);
    }
}
