package io.gpumarket.server.console;

import io.gpumarket.core.permission.RouteCatalog;
import io.gpumarket.server.agent.LastSeen;
import io.gpumarket.server.ratelimit.RateLimiter;
import io.gpumarket.server.service.AccountService;
import io.gpumarket.server.service.ApiKeyService;
import io.gpumarket.server.service.BillingService;
import io.gpumarket.server.service.EnvVarService;
import io.gpumarket.server.service.InstanceService;
import io.gpumarket.server.service.LogService;
import io.gpumarket.server.service.MachineService;
import io.gpumarket.server.service.MaintenanceService;
import io.gpumarket.server.service.RentService;
import io.gpumarket.server.service.ReportService;
import io.gpumarket.server.service.SearchService;
import io.gpumarket.server.service.SshKeyService;
import io.gpumarket.server.service.TemplateService;
import io.gpumarket.server.service.TfaService;
import io.gpumarket.store.Store;
import java.time.Clock;
import java.time.Duration;
import java.util.function.Supplier;

/**
 * The services the console's pages call: the same objects the API's endpoints call.
 *
 * @param catalog     the API's routes by permission category (read when a key is created, after every route exists)
 * @param silentAfter a machine not heard from for this long is not online (the operator's overview)
 * @param lastSeen    when each machine's agent was last heard from (memory first)
 */
public record ConsoleServices(
        ConsoleSessions sessions,
        RateLimiter limiter,
        AccountService accounts,
        SearchService search,
        RentService rent,
        InstanceService instances,
        io.gpumarket.server.service.MigrationService migrations,
        LogService logs,
        SshKeyService sshKeys,
        BillingService billing,
        MachineService machines,
        Store store,
        TfaService tfa,
        ApiKeyService apiKeys,
        EnvVarService envVars,
        TemplateService templates,
        MaintenanceService maintenance,
        ReportService reports,
        Supplier<RouteCatalog> catalog,
        Duration silentAfter,
        LastSeen lastSeen,
        Clock clock) {}
