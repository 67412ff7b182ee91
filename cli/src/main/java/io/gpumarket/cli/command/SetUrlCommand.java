package io.gpumarket.cli.command;

import io.gpumarket.cli.client.ClientCommand;
import io.gpumarket.cli.client.ClientConfig;
import java.net.URI;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code set url URL} (ours): saves the server URL for later commands beside the key ({@code …/gpumarket/url}). */
@Command(name = "url", mixinStandardHelpOptions = true, description = "Save the server URL for later commands.")
public final class SetUrlCommand extends ClientCommand {
    @Parameters(index = "0", paramLabel = "URL", description = "e.g. https://market.example.org")
    String url;

    @Override
    protected int run() {
        URI uri;
        try {
            uri = URI.create(url);
        } catch (IllegalArgumentException e) {
            uri = URI.create("invalid:x");
        }
        if (uri.getScheme() == null || !uri.getScheme().matches("https?") || uri.getHost() == null) {
            throw new IllegalArgumentException("'" + url + "' is not an http(s) URL like http://127.0.0.1:8080");
        }
        out().println("The server URL has been saved in " + ClientConfig.saveUrl(env(), url));
        return 0;
    }
}
