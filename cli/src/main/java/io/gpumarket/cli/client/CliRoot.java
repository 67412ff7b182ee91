package io.gpumarket.cli.client;

/** The top command as client verbs see it: the environment it runs in and the options given before the verb. */
public interface CliRoot {
    CliEnv env();

    ClientOptions rootOptions();
}
