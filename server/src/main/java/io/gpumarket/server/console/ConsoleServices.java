package io.gpumarket.server.console;

import io.gpumarket.server.ratelimit.RateLimiter;
import io.gpumarket.server.service.AccountService;
import io.gpumarket.server.service.BillingService;
import io.gpumarket.server.service.InstanceService;
import io.gpumarket.server.service.LogService;
import io.gpumarket.server.service.MachineService;
import io.gpumarket.server.service.RentService;
import io.gpumarket.server.service.SearchService;
import io.gpumarket.server.service.SshKeyService;
import io.gpumarket.store.Store;

/** The services the console's pages call: the same objects the API's endpoints call. */
public record ConsoleServices(
        ConsoleSessions sessions,
        RateLimiter limiter,
        AccountService accounts,
        SearchService search,
        RentService rent,
        InstanceService instances,
        LogService logs,
        SshKeyService sshKeys,
        BillingService billing,
        MachineService machines,
        Store store) {}
