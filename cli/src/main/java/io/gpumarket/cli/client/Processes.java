package io.gpumarket.cli.client;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Runs the system tools the verbs hand over to ({@code ssh}, {@code rsync}). On a real command line they share
 * our terminal; in process (tests) their output is copied into the environment's streams.
 */
public final class Processes {
    private Processes() {}

    public static int run(CliEnv env, List<String> argv) throws IOException, InterruptedException {
        require(env, argv.get(0));
        ProcessBuilder pb = new ProcessBuilder(argv);
        if (env.inheritIo()) {
            return pb.inheritIO().start().waitFor();
        }
        pb.redirectInput(new File("/dev/null"));
        Process p = pb.start();
        Thread out = copy(p.getInputStream(), env.out());
        Thread err = copy(p.getErrorStream(), env.err());
        int code = p.waitFor();
        out.join();
        err.join();
        return code;
    }

    /** Fails with a clear message when {@code tool} is not on the PATH. */
    public static void require(CliEnv env, String tool) {
        String path = env.var("PATH");
        if (path == null) path = System.getenv("PATH");
        for (String dir : (path == null ? "/usr/bin:/bin" : path).split(File.pathSeparator)) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, tool))) return;
        }
        String pkg = tool.equals("ssh") || tool.equals("ssh-keygen") ? "openssh-client" : tool;
        throw new Failure("error: " + tool + " is not installed (on Debian/Ubuntu: apt-get install " + pkg + ")");
    }

    private static Thread copy(InputStream from, OutputStream to) {
        return Thread.ofVirtual().start(() -> {
            try (from) {
                byte[] buf = new byte[8192];
                for (int n; (n = from.read(buf)) > 0; ) {
                    synchronized (to) {
                        to.write(buf, 0, n);
                        to.flush();
                    }
                }
            } catch (IOException ignored) {
                // the process is gone; what it wrote is copied
            }
        });
    }
}
