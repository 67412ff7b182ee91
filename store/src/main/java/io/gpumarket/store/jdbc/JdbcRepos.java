package io.gpumarket.store.jdbc;

import io.gpumarket.store.ApiKeyRepo;
import io.gpumarket.store.AuditRepo;
import io.gpumarket.store.BillingRepo;
import io.gpumarket.store.CloudRepo;
import io.gpumarket.store.ConsoleSessionRepo;
import io.gpumarket.store.CopyRepo;
import io.gpumarket.store.DepositRepo;
import io.gpumarket.store.EnvVarRepo;
import io.gpumarket.store.InstanceLogRepo;
import io.gpumarket.store.InstanceRepo;
import io.gpumarket.store.LedgerRepo;
import io.gpumarket.store.MachineRepo;
import io.gpumarket.store.MaintenanceRepo;
import io.gpumarket.store.MarketRepo;
import io.gpumarket.store.MigrationRepo;
import io.gpumarket.store.NotificationRepo;
import io.gpumarket.store.OfferRepo;
import io.gpumarket.store.PriceIncreaseRepo;
import io.gpumarket.store.ReportRepo;
import io.gpumarket.store.Repos;
import io.gpumarket.store.ScheduledJobRepo;
import io.gpumarket.store.ServerlessRepo;
import io.gpumarket.store.SshKeyRepo;
import io.gpumarket.store.StatsRepo;
import io.gpumarket.store.TeamRepo;
import io.gpumarket.store.TemplateRepo;
import io.gpumarket.store.TfaRepo;
import io.gpumarket.store.UserRepo;
import io.gpumarket.store.VolumeRepo;

/** The repositories of one {@link Session}: all per-call, or all bound to one transaction. */
final class JdbcRepos implements Repos {
    private final UserRepo users;
    private final ApiKeyRepo apiKeys;
    private final MachineRepo machines;
    private final OfferRepo offers;
    private final LedgerRepo ledger;
    private final InstanceRepo instances;
    private final SshKeyRepo sshKeys;
    private final InstanceLogRepo instanceLogs;
    private final TemplateRepo templates;
    private final BillingRepo billing;
    private final MaintenanceRepo maintenances;
    private final ReportRepo reports;
    private final ConsoleSessionRepo consoleSessions;
    private final TfaRepo tfa;
    private final EnvVarRepo envVars;
    private final CopyRepo copies;
    private final MigrationRepo migrations;
    private final CloudRepo cloud;
    private final AuditRepo audit;
    private final StatsRepo stats;
    private final VolumeRepo volumes;
    private final NotificationRepo notifications;
    private final MarketRepo market;
    private final PriceIncreaseRepo priceIncreases;
    private final ScheduledJobRepo scheduledJobs;
    private final DepositRepo deposits;
    private final TeamRepo teams;
    private final ServerlessRepo serverless;

    JdbcRepos(Session session) {
        this.users = new JdbcUserRepo(session);
        this.apiKeys = new JdbcApiKeyRepo(session);
        this.machines = new JdbcMachineRepo(session);
        this.offers = new JdbcOfferRepo(session);
        this.ledger = new JdbcLedgerRepo(session);
        this.instances = new JdbcInstanceRepo(session);
        this.sshKeys = new JdbcSshKeyRepo(session);
        this.instanceLogs = new JdbcInstanceLogRepo(session);
        this.templates = new JdbcTemplateRepo(session);
        this.billing = new JdbcBillingRepo(session);
        this.maintenances = new JdbcMaintenanceRepo(session);
        this.reports = new JdbcReportRepo(session);
        this.consoleSessions = new JdbcConsoleSessionRepo(session);
        this.tfa = new JdbcTfaRepo(session);
        this.envVars = new JdbcEnvVarRepo(session);
        this.copies = new JdbcCopyRepo(session);
        this.migrations = new JdbcMigrationRepo(session);
        this.cloud = new JdbcCloudRepo(session);
        this.audit = new JdbcAuditRepo(session);
        this.stats = new JdbcStatsRepo(session);
        this.volumes = new JdbcVolumeRepo(session);
        this.notifications = new JdbcNotificationRepo(session);
        this.market = new JdbcMarketRepo(session);
        this.priceIncreases = new JdbcPriceIncreaseRepo(session);
        this.scheduledJobs = new JdbcScheduledJobRepo(session);
        this.deposits = new JdbcDepositRepo(session);
        this.teams = new JdbcTeamRepo(session);
        this.serverless = new JdbcServerlessRepo(session);
    }

    @Override
    public UserRepo users() {
        return users;
    }

    @Override
    public ApiKeyRepo apiKeys() {
        return apiKeys;
    }

    @Override
    public MachineRepo machines() {
        return machines;
    }

    @Override
    public OfferRepo offers() {
        return offers;
    }

    @Override
    public LedgerRepo ledger() {
        return ledger;
    }

    @Override
    public InstanceRepo instances() {
        return instances;
    }

    @Override
    public SshKeyRepo sshKeys() {
        return sshKeys;
    }

    @Override
    public InstanceLogRepo instanceLogs() {
        return instanceLogs;
    }

    @Override
    public TemplateRepo templates() {
        return templates;
    }

    @Override
    public BillingRepo billing() {
        return billing;
    }

    @Override
    public MaintenanceRepo maintenances() {
        return maintenances;
    }

    @Override
    public ReportRepo reports() {
        return reports;
    }

    @Override
    public ConsoleSessionRepo consoleSessions() {
        return consoleSessions;
    }

    @Override
    public TfaRepo tfa() {
        return tfa;
    }

    @Override
    public EnvVarRepo envVars() {
        return envVars;
    }

    @Override
    public CopyRepo copies() {
        return copies;
    }

    @Override
    public MigrationRepo migrations() {
        return migrations;
    }

    @Override
    public CloudRepo cloud() {
        return cloud;
    }

    @Override
    public AuditRepo audit() {
        return audit;
    }

    @Override
    public StatsRepo stats() {
        return stats;
    }

    @Override
    public VolumeRepo volumes() {
        return volumes;
    }

    @Override
    public NotificationRepo notifications() {
        return notifications;
    }

    @Override
    public MarketRepo market() {
        return market;
    }

    @Override
    public PriceIncreaseRepo priceIncreases() {
        return priceIncreases;
    }

    @Override
    public ScheduledJobRepo scheduledJobs() {
        return scheduledJobs;
    }

    @Override
    public DepositRepo deposits() {
        return deposits;
    }

    @Override
    public TeamRepo teams() {
        return teams;
    }

    @Override
    public ServerlessRepo serverless() {
        return serverless;
    }
}
