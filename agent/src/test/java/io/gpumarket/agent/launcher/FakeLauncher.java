package io.gpumarket.agent.launcher;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * An in-memory {@link Launcher} for the agent's unit tests, as Nomad's mock driver: instances are entries in a map,
 * and a test scripts what the host does — starts that fail (the host's fault or the request's), processes that exit
 * right after start, slow starts held until the test lets them go (with progress on the way), crashes, instances left
 * running by an agent that went away, and removals by hand. Every lifecycle verb the agent calls is written down in
 * order ({@link #calls()}), so a test can say what happened to the host without sleeping or looking at processes.
 *
 * <p>Thread-safe: the agent calls it from each instance's own executor while the test scripts it.
 */
public final class FakeLauncher implements Launcher {
    private final boolean removesUnclaimed;
    private final Map<Long, Box> boxes = new HashMap<>();
    private final Map<Long, Deque<Start>> script = new HashMap<>();
    private final Map<Long, RuntimeException> inspectFailures = new HashMap<>();
    private final List<String> calls = new ArrayList<>();
    private final List<Exec> execs = new ArrayList<>();
    /** Run starts in epoch seconds: distinct and increasing, so a test tells one run from the next. */
    private long clock = 1_700_000_000L;

    /** A launcher that removes instances the server no longer lists (as the process launcher does). */
    public FakeLauncher() {
        this(true);
    }

    /** @param removesUnclaimed false to behave as the container launcher: unlisted instances are left, reported */
    public FakeLauncher(boolean removesUnclaimed) {
        this.removesUnclaimed = removesUnclaimed;
    }

    /** A command run inside an instance, with what was written to its input. */
    public record Exec(long instanceId, List<String> command, String input) {}

    /** A start held until {@link #release}: the test waits for it to begin with {@link #awaitEntered}. */
    public static final class Gate {
        private final CountDownLatch entered = new CountDownLatch(1);
        private final CountDownLatch released = new CountDownLatch(1);

        public void awaitEntered() throws InterruptedException {
            if (!entered.await(10, TimeUnit.SECONDS)) throw new AssertionError("the start never began");
        }

        public void release() {
            released.countDown();
        }
    }

    private sealed interface Start {
        record Fail(LaunchException error) implements Start {}

        record ExitAtStart(int code) implements Start {}

        record Slow(Gate gate, List<String> progress) implements Start {}
    }

    private static final class Box {
        Inspection.State state = Inspection.State.STOPPED;
        Integer exitCode;
        long startedAt;
        String message;
        long diskBytes;
        long rxBytes;
        long txBytes;
    }

    // ---- the test's script --------------------------------------------------------------------------------------

    /** The next start of the instance fails as the host's fault (as a sandbox that cannot be set up). */
    public synchronized FakeLauncher failNextStart(long id, String message) {
        return next(id, new Start.Fail(new LaunchException(message)));
    }

    /** The next start fails for the renter's request (an image no registry serves): not the host's fault. */
    public synchronized FakeLauncher refuseNextStart(long id, String message) {
        return next(id, new Start.Fail(LaunchException.ofRequest(message)));
    }

    /** The next start returns, but the instance's own process has already exited with {@code code}. */
    public synchronized FakeLauncher exitAtNextStart(long id, int code) {
        return next(id, new Start.ExitAtStart(code));
    }

    /** The next start tells {@code progress} to the agent, then waits until the gate is released, then runs. */
    public synchronized Gate slowNextStart(long id, String... progress) {
        Gate gate = new Gate();
        next(id, new Start.Slow(gate, List.of(progress)));
        return gate;
    }

    /** The running instance's process dies by itself. */
    public synchronized void crash(long id, int exitCode, String message) {
        Box b = box(id);
        b.state = Inspection.State.EXITED;
        b.exitCode = exitCode;
        b.startedAt = 0;
        b.message = message;
    }

    /** An instance a previous agent left on this host, still running (or, false, stopped). */
    public synchronized void leftByEarlierAgent(long id, boolean running) {
        Box b = new Box();
        if (running) run(b, "left running");
        boxes.put(id, b);
    }

    /** The host removes the instance's files and process by hand. */
    public synchronized void removeByHand(long id) {
        boxes.remove(id);
    }

    /** Every later {@link #inspect} of the instance throws (a launcher bug, a broken engine). */
    public synchronized void failInspections(long id, RuntimeException error) {
        inspectFailures.put(id, error);
    }

    /** What {@link #inspect} says about the instance's disk use and traffic from now on. */
    public synchronized void use(long id, long diskBytes, long rxBytes, long txBytes) {
        Box b = box(id);
        b.diskBytes = diskBytes;
        b.rxBytes = rxBytes;
        b.txBytes = txBytes;
    }

    // ---- what the test reads ------------------------------------------------------------------------------------

    /** The lifecycle verbs called so far, in order: "start 7", "recover 7", "stop 7", "destroy 7", "exec 7". */
    public synchronized List<String> calls() {
        return List.copyOf(calls);
    }

    /** The lifecycle verbs called for one instance, without the id: "start", "stop" … */
    public synchronized List<String> calls(long id) {
        String suffix = " " + id;
        return calls.stream()
                .filter(c -> c.endsWith(suffix))
                .map(c -> c.substring(0, c.length() - suffix.length()))
                .toList();
    }

    public synchronized List<Exec> execs() {
        return List.copyOf(execs);
    }

    /** The instance's state on the host now ({@link Inspection.State#ABSENT} once it has no files). */
    public synchronized Inspection.State state(long id) {
        Box b = boxes.get(id);
        return b == null ? Inspection.State.ABSENT : b.state;
    }

    // ---- Launcher -----------------------------------------------------------------------------------------------

    @Override
    public String kind() {
        return "fake";
    }

    @Override
    public void start(InstanceSpec spec) throws LaunchException {
        start(spec, progress -> {});
    }

    @Override
    public void start(InstanceSpec spec, Consumer<String> progress) throws LaunchException {
        Start outcome;
        synchronized (this) {
            calls.add("start " + spec.id());
            boxes.computeIfAbsent(spec.id(), k -> new Box());
            Deque<Start> planned = script.get(spec.id());
            outcome = planned == null ? null : planned.poll();
        }
        if (outcome instanceof Start.Slow slow) {
            slow.progress().forEach(progress);
            slow.gate().entered.countDown();
            try {
                if (!slow.gate().released.await(30, TimeUnit.SECONDS))
                    throw new LaunchException("the test never released the start");
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new LaunchException("interrupted while starting", e);
            }
        }
        synchronized (this) {
            Box b = box(spec.id());
            if (outcome instanceof Start.Fail f) {
                b.state = Inspection.State.STOPPED;
                throw f.error();
            } else if (outcome instanceof Start.ExitAtStart x) {
                b.state = Inspection.State.EXITED;
                b.exitCode = x.code();
                b.startedAt = 0;
                b.message = "exited with code " + x.code();
            } else {
                run(b, "running (fake)");
            }
        }
    }

    @Override
    public synchronized boolean recover(InstanceSpec spec) {
        calls.add("recover " + spec.id());
        Box b = boxes.get(spec.id());
        return b != null && b.state == Inspection.State.RUNNING;
    }

    @Override
    public synchronized void stop(long instanceId, Duration grace) {
        calls.add("stop " + instanceId);
        Box b = boxes.get(instanceId);
        if (b != null && b.state == Inspection.State.RUNNING) {
            b.state = Inspection.State.STOPPED;
            b.startedAt = 0;
            b.message = "stopped";
        }
    }

    @Override
    public synchronized void destroy(long instanceId) {
        calls.add("destroy " + instanceId);
        boxes.remove(instanceId);
    }

    @Override
    public synchronized Inspection inspect(long instanceId) {
        RuntimeException failure = inspectFailures.get(instanceId);
        if (failure != null) throw failure;
        Box b = boxes.get(instanceId);
        if (b == null) return new Inspection(Inspection.State.ABSENT, null, 0, 0, 0, null);
        boolean running = b.state == Inspection.State.RUNNING;
        return new Inspection(
                b.state,
                b.exitCode,
                b.diskBytes,
                0,
                b.startedAt,
                b.message,
                running ? b.rxBytes : null,
                running ? b.txBytes : null);
    }

    @Override
    public synchronized Process exec(long instanceId, List<String> command, Map<String, String> extraEnv, boolean pty)
            throws LaunchException {
        calls.add("exec " + instanceId);
        if (state(instanceId) != Inspection.State.RUNNING)
            throw new LaunchException("instance " + instanceId + " is not running");
        return new FakeProcess(input -> {
            synchronized (this) {
                execs.add(new Exec(instanceId, List.copyOf(command), input));
            }
        });
    }

    @Override
    public synchronized Set<Long> known() {
        return new TreeSet<>(boxes.keySet());
    }

    /** No log file: {@link Launcher#logs} answers nothing. */
    @Override
    public Path logFile(long instanceId) {
        return null;
    }

    @Override
    public boolean removesUnclaimed() {
        return removesUnclaimed;
    }

    private FakeLauncher next(long id, Start outcome) {
        script.computeIfAbsent(id, k -> new ArrayDeque<>()).add(outcome);
        return this;
    }

    private Box box(long id) {
        Box b = boxes.get(id);
        if (b == null) throw new IllegalStateException("instance " + id + " has no files on the fake host");
        return b;
    }

    private void run(Box b, String message) {
        b.state = Inspection.State.RUNNING;
        b.exitCode = null;
        b.startedAt = ++clock;
        b.message = message;
    }

    /** A command that ends as soon as its input is closed, exit 0, handing that input to {@code done}. */
    private static final class FakeProcess extends Process {
        private final ByteArrayOutputStream input = new ByteArrayOutputStream();
        private final CountDownLatch closed = new CountDownLatch(1);
        private final OutputStream stdin;

        FakeProcess(Consumer<String> done) {
            stdin = new OutputStream() {
                @Override
                public void write(int b) {
                    input.write(b);
                }

                @Override
                public void close() {
                    if (closed.getCount() > 0) {
                        done.accept(input.toString(StandardCharsets.UTF_8));
                        closed.countDown();
                    }
                }
            };
        }

        @Override
        public OutputStream getOutputStream() {
            return stdin;
        }

        @Override
        public InputStream getInputStream() {
            return InputStream.nullInputStream();
        }

        @Override
        public InputStream getErrorStream() {
            return InputStream.nullInputStream();
        }

        @Override
        public int waitFor() throws InterruptedException {
            closed.await();
            return 0;
        }

        @Override
        public boolean waitFor(long timeout, TimeUnit unit) throws InterruptedException {
            return closed.await(timeout, unit);
        }

        @Override
        public int exitValue() {
            if (closed.getCount() > 0) throw new IllegalThreadStateException("still running");
            return 0;
        }

        @Override
        public void destroy() {
            closed.countDown();
        }
    }
}
