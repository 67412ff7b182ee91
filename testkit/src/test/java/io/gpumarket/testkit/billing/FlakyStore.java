package io.gpumarket.testkit.billing;

import io.gpumarket.store.BillingRepo;
import io.gpumarket.store.Repos;
import io.gpumarket.store.Store;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.Random;
import java.util.function.Function;

/**
 * A store whose billing calls crash at random: before a call (nothing done) or after it (its writes done, inside a
 * transaction that will now roll back), the way a process dying mid-tick or a database failing between two
 * statements looks to the meter. Proxies, so the store's interfaces can grow without this changing.
 */
final class FlakyStore {
    /** The injected failure. */
    static final class Crash extends RuntimeException {
        Crash(String where) {
            super("injected crash " + where);
        }
    }

    private FlakyStore() {}

    static Store wrap(Store real, Random random, double[] rate) {
        return proxy(Store.class, real, (m, args) -> {
            if (m.getName().equals("inTransaction")) {
                @SuppressWarnings("unchecked")
                Function<Repos, Object> work = (Function<Repos, Object>) args[0];
                return real.inTransaction(repos -> work.apply(repos(repos, random, rate)));
            }
            if (m.getName().equals("repos")) return repos(real.repos(), random, rate);
            return call(m, real, args);
        });
    }

    private static Repos repos(Repos real, Random random, double[] rate) {
        return proxy(Repos.class, real, (m, args) -> {
            Object repo = call(m, real, args);
            return repo instanceof BillingRepo b ? billing(b, random, rate) : repo;
        });
    }

    private static BillingRepo billing(BillingRepo real, Random random, double[] rate) {
        return proxy(BillingRepo.class, real, (m, args) -> {
            if (random.nextDouble() < rate[0]) throw new Crash("before " + m.getName());
            Object result = call(m, real, args);
            if (random.nextDouble() < rate[0]) throw new Crash("after " + m.getName());
            return result;
        });
    }

    private interface Handler {
        Object handle(Method m, Object[] args) throws Throwable;
    }

    private static <T> T proxy(Class<T> type, T real, Handler handler) {
        return type.cast(Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type}, (p, m, args) -> {
            if (m.getDeclaringClass() == Object.class) return call(m, real, args);
            return handler.handle(m, args);
        }));
    }

    private static Object call(Method m, Object target, Object[] args) throws Throwable {
        try {
            return m.invoke(target, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }
}
