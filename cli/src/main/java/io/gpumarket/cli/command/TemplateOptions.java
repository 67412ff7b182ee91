package io.gpumarket.cli.command;

import io.gpumarket.cli.query.OfferSearch;
import io.gpumarket.cli.query.QueryFields;
import io.gpumarket.cli.query.QueryParser;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import picocli.CommandLine.Option;

/**
 * The options of {@code create template} and {@code update template} and the body vastai builds from them
 * (docs/vast-compatibility.md §g.1): every field sent, unset ones as null/false; runtype jupyter, ssh or args; {@code --search_params}
 * parsed with the offer grammar over the offer defaults (unless {@code -n}) into {@code extra_filters}.
 */
final class TemplateOptions {
    @Option(names = "--name", description = "template name")
    String name;

    @Option(names = "--image", description = "Docker image")
    String image;

    @Option(names = "--image_tag", description = "image tag")
    String imageTag;

    @Option(names = "--href", description = "a link")
    String href;

    @Option(names = "--repo", description = "link to the repository")
    String repo;

    @Option(names = "--login", description = "docker login arguments; the first word is the repository")
    String login;

    @Option(names = "--env", description = "Docker options: '-e K=V -p 8080:8080'")
    String env;

    @Option(names = "--ssh", description = "ssh launch")
    boolean ssh;

    @Option(names = "--jupyter", description = "jupyter launch")
    boolean jupyter;

    @Option(names = "--direct", description = "direct connections")
    boolean direct;

    @Option(names = "--jupyter-dir", description = "jupyter's directory")
    String jupyterDir;

    @Option(names = "--jupyter-lab", description = "jupyter lab")
    boolean jupyterLab;

    @Option(names = "--onstart-cmd", description = "onstart script")
    String onstartCmd;

    @Option(names = "--search_params", description = "offer filters in the search offers query language")
    String searchParams;

    @Option(
            names = {"-n", "--no-default"},
            description = "no default offer filters in extra_filters")
    boolean noDefault;

    @Option(names = "--disk_space", description = "recommended disk in GB")
    String diskSpace;

    @Option(names = "--readme", description = "readme text")
    String readme;

    @Option(names = "--hide-readme", description = "hide the readme from users")
    boolean hideReadme;

    @Option(names = "--desc", description = "description")
    String desc;

    @Option(names = "--public", description = "make the template public")
    boolean makePublic;

    Map<String, Object> body(String hashId, Consumer<String> warnings) {
        Map<String, Object> extraFilters = QueryParser.parse(
                searchParams == null ? null : List.of(searchParams),
                OfferSearch.defaults(noDefault),
                QueryFields.OFFERS,
                warnings);
        Map<String, Object> t = new LinkedHashMap<>();
        if (hashId != null) t.put("hash_id", hashId);
        t.put("name", name);
        t.put("image", image);
        t.put("tag", imageTag);
        t.put("href", href);
        t.put("repo", repo);
        t.put("env", env);
        t.put("onstart", onstartCmd);
        t.put("jup_direct", jupyter && direct);
        t.put("ssh_direct", ssh && direct);
        t.put("use_jupyter_lab", jupyterLab);
        t.put("runtype", jupyter ? "jupyter" : ssh ? "ssh" : "args");
        t.put("use_ssh", ssh || jupyter);
        t.put("jupyter_dir", jupyterDir);
        t.put("docker_login_repo", login == null || login.isEmpty() ? null : login.split(" ", -1)[0]);
        t.put("extra_filters", extraFilters);
        t.put("recommended_disk_space", diskSpace);
        t.put("readme", readme);
        t.put("readme_visible", !hideReadme);
        t.put("desc", desc);
        t.put("private", !makePublic);
        return t;
    }
}
