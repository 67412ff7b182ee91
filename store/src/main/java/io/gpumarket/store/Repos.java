package io.gpumarket.store;

/** The repositories of one store, either each call in its own transaction or all in one. */
public interface Repos {
    UserRepo users();

    ApiKeyRepo apiKeys();

    MachineRepo machines();

    OfferRepo offers();

    LedgerRepo ledger();

    InstanceRepo instances();

    SshKeyRepo sshKeys();

    InstanceLogRepo instanceLogs();

    TemplateRepo templates();

    BillingRepo billing();

    MaintenanceRepo maintenances();

    ReportRepo reports();

    ConsoleSessionRepo consoleSessions();

    /** Accounts' two-factor authenticators (TOTP). */
    TfaRepo tfa();

    EnvVarRepo envVars();

    CopyRepo copies();

    /** Instances moving to other machines, and contract moves (docs/migrate.md). */
    MigrationRepo migrations();

    CloudRepo cloud();

    AuditRepo audit();

    /** Market-wide counts for {@code /metrics}. */
    StatsRepo stats();

    VolumeRepo volumes();

    /** Events, notification preferences, webhooks and their deliveries. */
    NotificationRepo notifications();

    /** The market metrics' inputs and snapshots. */
    MarketRepo market();

    PriceIncreaseRepo priceIncreases();

    ScheduledJobRepo scheduledJobs();

    DepositRepo deposits();

    TeamRepo teams();

    ServerlessRepo serverless();
}
