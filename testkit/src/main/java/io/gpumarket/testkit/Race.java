package io.gpumarket.testkit;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.IntFunction;

/**
 * Runs the same action on several threads released at once, to test that a conditional write has exactly one
 * winner. Platform threads, one per contender, so they really run (and block on locks) in parallel.
 */
public final class Race {
    private Race() {}

    /**
     * Starts {@code contenders} threads, lets them all run {@code action} (given the contender's index) at the
     * same moment, and returns their results in index order.
     *
     * @throws IllegalStateException carrying the first contender's failure, if any failed
     */
    public static <T> List<T> run(int contenders, IntFunction<T> action) {
        CountDownLatch ready = new CountDownLatch(contenders);
        CountDownLatch go = new CountDownLatch(1);
        ExecutorService threads = Executors.newFixedThreadPool(contenders);
        try {
            List<Future<T>> futures = new ArrayList<>();
            for (int i = 0; i < contenders; i++) {
                int index = i;
                futures.add(threads.submit(() -> {
                    ready.countDown();
                    go.await();
                    return action.apply(index);
                }));
            }
            ready.await();
            go.countDown();
            List<T> results = new ArrayList<>();
            for (Future<T> f : futures) results.add(f.get());
            return results;
        } catch (ExecutionException e) {
            throw new IllegalStateException("a contender failed: " + e.getCause(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while racing", e);
        } finally {
            threads.shutdownNow();
        }
    }
}
