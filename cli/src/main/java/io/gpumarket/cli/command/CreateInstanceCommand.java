package io.gpumarket.cli.command;

import com.fasterxml.jackson.databind.JsonNode;
import io.gpumarket.cli.client.ClientCommand;
import io.gpumarket.cli.client.EnvFlags;
import io.gpumarket.cli.client.Failure;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Stack;
import picocli.CommandLine.Command;
import picocli.CommandLine.IParameterConsumer;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code create instance OFFER …}: rents an offer with {@code PUT /api/v0/asks/{offer}/}, sending the body
 * vastai sends (docs/vast-compatibility.md §f.3): every key, nulls included, then {@code runtype} (unless {@code --template_hash}),
 * {@code args} (with {@code --args}) and {@code volume_info} (with a volume option).
 */
@Command(
        name = "instance",
        mixinStandardHelpOptions = true,
        description = "Rent an offer (from search offers) as an instance.",
        footer = {
            "",
            "Example: gpumarket create instance 42 --image pytorch/pytorch --disk 40 --env '-e TZ=UTC -p 8080:8080' --ssh --direct",
            "         gpumarket create instance 42 --image ubuntu:22.04 --args bash -c 'echo hi; sleep infinity'"
        })
public final class CreateInstanceCommand extends ClientCommand {
    @Parameters(index = "0", paramLabel = "OFFER", description = "offer id from search offers")
    long offer;

    @Option(names = "--template_hash", description = "create from this template's hash_id")
    String templateHash;

    @Option(names = "--user", description = "user for docker create")
    String user;

    @Option(names = "--disk", defaultValue = "10", description = "disk in GB (default ${DEFAULT-VALUE})")
    double disk;

    @Option(names = "--image", description = "Docker image")
    String image;

    @Option(names = "--login", description = "docker login arguments for a private registry")
    String login;

    @Option(names = "--label", description = "label for the instance")
    String label;

    @Option(names = "--onstart", description = "file whose contents are the onstart script")
    Path onstart;

    @Option(names = "--onstart-cmd", description = "the onstart script itself")
    String onstartCmd;

    @Option(names = "--entrypoint", description = "entrypoint override for an args launch")
    String entrypoint;

    @Option(names = "--ssh", description = "ssh launch")
    boolean ssh;

    @Option(names = "--jupyter", description = "jupyter launch (includes ssh)")
    boolean jupyter;

    @Option(names = "--direct", description = "direct connections (ports on the host) for ssh/jupyter")
    boolean direct;

    @Option(names = "--jupyter-dir", description = "jupyter's directory (implies --jupyter)")
    String jupyterDir;

    @Option(names = "--jupyter-lab", description = "jupyter lab (implies --jupyter)")
    boolean jupyterLab;

    @Option(names = "--lang-utf8", description = "generate locales and use C.UTF-8")
    boolean langUtf8;

    @Option(names = "--python-utf8", description = "set python's locale to C.UTF-8")
    boolean pythonUtf8;

    @Option(names = "--extra", hidden = true)
    String extra;

    @Option(names = "--env", description = "Docker options: '-e K=V -p 8080:8080 -h host'")
    String env;

    @Option(names = "--force", description = "skip sanity checks")
    boolean force;

    @Option(
            names = "--cancel-unavail",
            description = "fail rather than create a stopped instance when it cannot be scheduled")
    boolean cancelUnavail;

    @Option(names = "--bid_price", description = "bid $/hour per machine: an interruptible instance")
    Double bidPrice;

    @Option(
            names = "--create-volume",
            paramLabel = "VOLUME_ASK_ID",
            description = "create a volume from this volume offer")
    Long createVolume;

    @Option(names = "--link-volume", paramLabel = "VOLUME_ID", description = "link this existing volume")
    Long linkVolume;

    @Option(names = "--volume-size", description = "GB of the created volume (default 15)")
    Integer volumeSize;

    @Option(names = "--mount-path", description = "where the volume appears in the instance")
    String mountPath;

    @Option(names = "--volume-label", description = "name of the created volume")
    String volumeLabel;

    @Option(
            names = "--args",
            arity = "0..*",
            parameterConsumer = Remainder.class,
            description = "arguments for the image's entrypoint (must be last: everything after it is taken)")
    List<String> args;

    @Override
    protected int run() throws IOException {
        String onstartScript = onstart != null ? Files.readString(onstart) : onstartCmd;
        if (onstartScript == null) onstartScript = entrypoint;
        Map<String, String> envMap = EnvFlags.parse(env);
        String runtype = templateHash == null ? runtype() : null;
        Map<String, Object> volume = createVolume != null || linkVolume != null ? volumeInfo() : null;
        if (envMap.containsKey("PORTAL_CONFIG")) portalConfig(envMap, runtype);

        Map<String, Object> body = body(
                "client_id",
                "me",
                "image",
                image,
                "env",
                envMap,
                "price",
                bidPrice,
                "disk",
                disk,
                "label",
                label,
                "extra",
                extra,
                "onstart",
                onstartScript,
                "image_login",
                login,
                "python_utf8",
                pythonUtf8,
                "lang_utf8",
                langUtf8,
                "use_jupyter_lab",
                jupyterLab,
                "jupyter_dir",
                jupyterDir,
                "force",
                force,
                "cancel_unavail",
                cancelUnavail,
                "template_hash_id",
                templateHash,
                "user",
                user);
        if (runtype != null) body.put("runtype", runtype);
        if (args != null) body.put("args", args);
        if (volume != null) body.put("volume_info", volume);

        JsonNode answer = api().put("/asks/" + offer + "/", body);
        if (raw()) {
            printJson(answer);
        } else {
            out().println("Started. " + repr(answer));
        }
        return answer.path("success").asBoolean(true) ? 0 : 1;
    }

    /** vastai's get_runtype: ssh unless args; jupyter and ssh as token lists with the truncated "direc". */
    private String runtype() {
        String runtype = "ssh";
        if (args != null && !args.isEmpty()) runtype = "args";
        if (args != null && (args.isEmpty() || args.equals(List.of("")))) {
            runtype = "args";
            args = null;
        }
        if (!jupyter && (jupyterDir != null || jupyterLab)) jupyter = true;
        if (jupyter && runtype.equals("args")) {
            throw new Failure(
                    "Error: Can't use --jupyter and --args together. Try --onstart or --onstart-cmd instead of --args.");
        }
        if (jupyter) return direct ? "jupyter_direc ssh_direc ssh_proxy" : "jupyter_proxy ssh_proxy";
        if (ssh) return direct ? "ssh_direc ssh_proxy" : "ssh_proxy";
        return runtype;
    }

    private Map<String, Object> volumeInfo() {
        if (volumeSize != null && createVolume == null)
            throw new Failure("Error: --volume-size can only be used with --create-volume.");
        if (mountPath == null) throw new Failure("Error: --mount-path is required when creating or linking a volume.");
        if (!mountPath.matches("^(/)?([^/\\x00]+(/)?)+$"))
            throw new Failure("Error: --mount-path '" + mountPath + "' is not a valid Linux file path.");
        Map<String, Object> v = new LinkedHashMap<>();
        v.put("mount_path", mountPath);
        v.put("create_new", createVolume != null);
        v.put("volume_id", createVolume != null ? createVolume : linkVolume);
        if (volumeLabel != null) v.put("name", volumeLabel);
        if (volumeSize != null) v.put("size", volumeSize);
        else if (createVolume != null) v.put("size", 15);
        return v;
    }

    /** Without a jupyter runtype, PORTAL_CONFIG loses its jupyter entries (and must keep one). */
    private static void portalConfig(Map<String, String> env, String runtype) {
        if (runtype != null && runtype.contains("jupyter")) return;
        List<String> kept = new ArrayList<>();
        for (String entry : env.get("PORTAL_CONFIG").split("\\|", -1))
            if (!entry.toLowerCase().contains("jupyter")) kept.add(entry);
        if (kept.isEmpty()) {
            throw new Failure(
                    "Error: env variable PORTAL_CONFIG must contain at least one non-jupyter related config string if runtype is not jupyter");
        }
        env.put("PORTAL_CONFIG", String.join("|", kept));
    }

    /** {@code --args}: takes every remaining word, options included, as argparse's REMAINDER does. */
    static final class Remainder implements IParameterConsumer {
        @Override
        public void consumeParameters(Stack<String> args, ArgSpec argSpec, CommandSpec commandSpec) {
            List<String> rest = new ArrayList<>();
            while (!args.isEmpty()) rest.add(args.pop());
            argSpec.setValue(rest);
        }
    }
}
