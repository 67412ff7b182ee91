package io.gpumarket.cli.command;

import io.gpumarket.api.GpuMarketClient;
import io.gpumarket.api.Wire;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code gpumarket admin …}: the operator's verbs, over the admin API with an admin key
 * ({@code --url}/{@code GPUMARKET_URL}, {@code --api-key}/{@code GPUMARKET_API_KEY}).
 */
@Command(
        name = "admin",
        mixinStandardHelpOptions = true,
        description = "Operator commands (admin key required).",
        subcommands = {
            AdminCommand.CreateUser.class,
            AdminCommand.Credit.class,
            AdminCommand.Refund.class,
            AdminCommand.Verify.class,
            AdminCommand.Users.class,
            AdminCommand.Anomalies.class,
            AdminCommand.Password.class
        })
public final class AdminCommand implements Runnable {
    @Option(
            names = "--url",
            description = "server URL (default $GPUMARKET_URL or http://127.0.0.1:8080)",
            scope = picocli.CommandLine.ScopeType.INHERIT)
    String url = System.getenv().getOrDefault("GPUMARKET_URL", "http://127.0.0.1:8080");

    @Option(
            names = "--api-key",
            description = "admin API key (default $GPUMARKET_API_KEY)",
            scope = picocli.CommandLine.ScopeType.INHERIT)
    String apiKey = System.getenv("GPUMARKET_API_KEY");

    @Override
    public void run() {
        new picocli.CommandLine(this).usage(System.out);
    }

    GpuMarketClient client() {
        if (apiKey == null || apiKey.isBlank())
            throw new IllegalArgumentException("an admin key is needed: --api-key or GPUMARKET_API_KEY");
        return new GpuMarketClient(url, apiKey);
    }

    static void print(Object value) throws Exception {
        System.out.println(Wire.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(value));
    }

    @Command(
            name = "create-user",
            mixinStandardHelpOptions = true,
            description = "Create an account and print its API key (shown once).")
    static final class CreateUser implements Callable<Integer> {
        @picocli.CommandLine.ParentCommand
        AdminCommand parent;

        @Parameters(index = "0", description = "email")
        String email;

        @Option(names = "--username")
        String username;

        @Option(names = "--admin", description = "make it an admin account")
        boolean admin;

        @Override
        public Integer call() throws Exception {
            print(parent.client().adminCreateUser(email, username, admin));
            return 0;
        }
    }

    @Command(
            name = "password",
            mixinStandardHelpOptions = true,
            description = "Set an account's web console password (read from standard input), or --clear it.")
    static final class Password implements Callable<Integer> {
        @picocli.CommandLine.ParentCommand
        AdminCommand parent;

        @Parameters(index = "0", description = "user id")
        long userId;

        @Option(names = "--clear", description = "remove the password")
        boolean clear;

        @Override
        public Integer call() throws Exception {
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("password", clear ? null : SetPasswordCommand.readPassword(System.in, System.out));
            print(parent.client().raw("PUT", "/api/v0/admin/users/" + userId + "/password/", body));
            return 0;
        }
    }

    @Command(name = "credit", mixinStandardHelpOptions = true, description = "Add credit (dollars) to an account.")
    static final class Credit implements Callable<Integer> {
        @picocli.CommandLine.ParentCommand
        AdminCommand parent;

        @Parameters(index = "0", description = "user id")
        long userId;

        @Parameters(index = "1", description = "amount in dollars")
        double amount;

        @Option(names = "--memo")
        String memo;

        @Option(names = "--idempotency-key", description = "repeat-safe: a second call with the same key adds nothing")
        String key;

        @Override
        public Integer call() throws Exception {
            print(parent.client().adminAddCredit(userId, amount, memo, key));
            return 0;
        }
    }

    @Command(
            name = "refund",
            mixinStandardHelpOptions = true,
            description = "Give credit back (dollars), with the reason the renter reads in their invoices.")
    static final class Refund implements Callable<Integer> {
        @picocli.CommandLine.ParentCommand
        AdminCommand parent;

        @Parameters(index = "0", description = "user id")
        long userId;

        @Parameters(index = "1", description = "amount in dollars (positive)")
        double amount;

        @Option(names = "--reason", required = true, description = "why, as the renter will read it")
        String reason;

        @Option(names = "--instance", description = "the renter's instance it is for")
        Long instanceId;

        @Option(names = "--idempotency-key", description = "repeat-safe: a second call with the same key adds nothing")
        String key;

        @Override
        public Integer call() throws Exception {
            print(parent.client().adminRefund(userId, amount, reason, instanceId, key));
            return 0;
        }
    }

    @Command(
            name = "verify",
            mixinStandardHelpOptions = true,
            description = "Set a machine's verification: verified, unverified or deverified.")
    static final class Verify implements Callable<Integer> {
        @picocli.CommandLine.ParentCommand
        AdminCommand parent;

        @Parameters(index = "0", description = "machine id")
        long machineId;

        @Parameters(index = "1", defaultValue = "verified", description = "verified | unverified | deverified")
        String state;

        @Override
        public Integer call() throws Exception {
            Map<String, Object> change = new LinkedHashMap<>();
            change.put("verification", state);
            print(parent.client().adminSetMachine(machineId, change));
            return 0;
        }
    }

    @Command(
            name = "anomalies",
            mixinStandardHelpOptions = true,
            description = "Host reports the server did not believe (traffic beyond a machine's link), newest first, and"
                    + " contracts the meter could not price and set aside.")
    static final class Anomalies implements Callable<Integer> {
        @picocli.CommandLine.ParentCommand
        AdminCommand parent;

        @Option(names = "--limit", defaultValue = "100", description = "at most this many host reports (1..1000)")
        int limit;

        @Override
        public Integer call() throws Exception {
            print(parent.client().raw("GET", "/api/v0/admin/anomalies/?limit=" + limit, null));
            return 0;
        }
    }

    @Command(name = "users", mixinStandardHelpOptions = true, description = "List accounts with their credit.")
    static final class Users implements Callable<Integer> {
        @picocli.CommandLine.ParentCommand
        AdminCommand parent;

        @Override
        public Integer call() throws Exception {
            print(parent.client().adminListUsers());
            return 0;
        }
    }
}
