package io.gpumarket.cli.command;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * The verbs as vastai groups them ({@code vastai <verb> <noun>}): each group is a parent command whose
 * subcommands are the nouns, one class per verb and noun ({@code <Verb><Noun>Command}). Verbs without a noun
 * ({@code copy}, {@code ssh}, {@code logs}, {@code ssh-url}, {@code scp-url}) sit directly under {@code Main}.
 */
public final class VerbGroups {
    private VerbGroups() {}

    /** A group given without a noun prints its nouns. */
    abstract static class Group implements Runnable {
        @Spec
        CommandSpec spec;

        @Override
        public void run() {
            spec.commandLine().usage(spec.commandLine().getOut());
        }
    }

    @Command(
            name = "metrics",
            mixinStandardHelpOptions = true,
            description = "GPU market metrics: now, over time, by place.",
            subcommands = {MetricsGpuCommand.class, MetricsGpuTrendsCommand.class, MetricsGpuLocationsCommand.class})
    public static final class Metrics extends Group {}

    @Command(
            name = "search",
            mixinStandardHelpOptions = true,
            description = "Search offers or templates with vastai's query language.",
            subcommands = {
                SearchOffersCommand.class,
                SearchTemplatesCommand.class,
                SearchVolumesCommand.class,
                SearchBenchmarksCommand.class,
                SearchInvoicesCommand.class
            })
    public static final class Search extends Group {}

    @Command(
            name = "create",
            mixinStandardHelpOptions = true,
            description = "Rent an offer, add keys, make templates.",
            subcommands = {
                CreateInstanceCommand.class,
                CreateSshKeyCommand.class,
                CreateApiKeyCommand.class,
                CreateTemplateCommand.class,
                CreateEnvVarCommand.class,
                CreateConnectionCommand.class,
                CreateVolumeCommand.class,
                CreateWebhookCommand.class,
                CreateTeamCommand.class,
                CreateTeamRoleCommand.class,
                CreateSubaccountCommand.class,
                CreateEndpointCommand.class,
                CreateWorkergroupCommand.class
            })
    public static final class Create extends Group {}

    @Command(
            name = "show",
            mixinStandardHelpOptions = true,
            description = "Show instances, the account, keys, billing and machines.",
            subcommands = {
                ShowInstanceCommand.class,
                ShowInstancesCommand.class,
                ShowUserCommand.class,
                ShowSshKeysCommand.class,
                ShowEnvVarsCommand.class,
                ShowConnectionsCommand.class,
                ShowAuditLogsCommand.class,
                ShowApiKeysCommand.class,
                ShowApiKeyCommand.class,
                ShowInvoicesCommand.class,
                ShowChargesCommand.class,
                ShowEarningsCommand.class,
                ShowMachinesCommand.class,
                ShowMachineCommand.class,
                ShowMaintsCommand.class,
                ShowVolumesCommand.class,
                ShowWebhooksCommand.class,
                ShowEventsCommand.class,
                ShowDepositCommand.class,
                ShowPendingPriceIncreasesCommand.class,
                ShowIpaddrsCommand.class,
                ShowScheduledJobsCommand.class,
                ShowMembersCommand.class,
                ShowTeamRoleCommand.class,
                ShowTeamRolesCommand.class,
                ShowSubaccountsCommand.class,
                ShowEndpointsCommand.class,
                ShowWorkergroupsCommand.class,
                ShowDeploymentsCommand.class
            })
    public static final class Show extends Group {}

    @Command(
            name = "start",
            mixinStandardHelpOptions = true,
            description = "Start stopped instances.",
            subcommands = {StartInstanceCommand.class, StartInstancesCommand.class})
    public static final class Start extends Group {}

    @Command(
            name = "stop",
            mixinStandardHelpOptions = true,
            description = "Stop running instances (files are kept).",
            subcommands = {StopInstanceCommand.class, StopInstancesCommand.class})
    public static final class Stop extends Group {}

    @Command(
            name = "reboot",
            mixinStandardHelpOptions = true,
            description = "Restart an instance's processes.",
            subcommands = {RebootInstanceCommand.class})
    public static final class Reboot extends Group {}

    @Command(
            name = "recycle",
            mixinStandardHelpOptions = true,
            description = "Recreate an instance from a fresh image pull, keeping its GPUs.",
            subcommands = {RecycleInstanceCommand.class})
    public static final class Recycle extends Group {}

    @Command(
            name = "migrate",
            mixinStandardHelpOptions = true,
            description = "Move an instance to another machine (docs/migrate.md).",
            subcommands = {MigrateInstanceCommand.class})
    public static final class Migrate extends Group {}

    @Command(
            name = "prepay",
            mixinStandardHelpOptions = true,
            description = "Deposit credit into a reserved instance.",
            subcommands = {PrepayInstanceCommand.class})
    public static final class Prepay extends Group {}

    @Command(
            name = "accept",
            mixinStandardHelpOptions = true,
            description = "Accept a host's price increase.",
            subcommands = {AcceptPriceIncreaseCommand.class})
    public static final class Accept extends Group {}

    @Command(
            name = "reject",
            mixinStandardHelpOptions = true,
            description = "Reject a host's price increase.",
            subcommands = {RejectPriceIncreaseCommand.class})
    public static final class Reject extends Group {}

    @Command(
            name = "destroy",
            mixinStandardHelpOptions = true,
            description = "Destroy instances (irreversible).",
            subcommands = {DestroyInstanceCommand.class, DestroyInstancesCommand.class, DestroyTeamCommand.class})
    public static final class Destroy extends Group {}

    @Command(
            name = "label",
            mixinStandardHelpOptions = true,
            description = "Label an instance.",
            subcommands = {LabelInstanceCommand.class})
    public static final class Label extends Group {}

    @Command(
            name = "set",
            mixinStandardHelpOptions = true,
            description = "Save the API key or server URL; set a machine's minimum bid or your console password.",
            subcommands = {SetApiKeyCommand.class, SetUrlCommand.class, SetMinBidCommand.class, SetPasswordCommand.class
            })
    public static final class Set extends Group {}

    @Command(
            name = "delete",
            mixinStandardHelpOptions = true,
            description = "Delete keys and templates.",
            subcommands = {
                DeleteSshKeyCommand.class,
                DeleteApiKeyCommand.class,
                DeleteTemplateCommand.class,
                DeleteEnvVarCommand.class,
                DeleteConnectionCommand.class,
                DeleteVolumeCommand.class,
                DeleteWebhookCommand.class,
                DeleteScheduledJobCommand.class,
                DeleteEndpointCommand.class,
                DeleteWorkergroupCommand.class
            })
    public static final class Delete extends Group {}

    @Command(
            name = "update",
            mixinStandardHelpOptions = true,
            description = "Change a template or an SSH key.",
            subcommands = {
                UpdateTemplateCommand.class,
                UpdateSshKeyCommand.class,
                UpdateEnvVarCommand.class,
                UpdateTeamRoleCommand.class,
                UpdateEndpointCommand.class
            })
    public static final class Update extends Group {}

    @Command(
            name = "wait",
            mixinStandardHelpOptions = true,
            description = "Wait for an instance to reach a state.",
            subcommands = {WaitInstanceCommand.class})
    public static final class Wait extends Group {}

    @Command(
            name = "register",
            mixinStandardHelpOptions = true,
            description = "[Host] Register a machine.",
            subcommands = {RegisterMachineCommand.class})
    public static final class Register extends Group {}

    @Command(
            name = "transfer",
            mixinStandardHelpOptions = true,
            description = "Send credit to another account.",
            subcommands = {TransferCreditCommand.class})
    public static final class Transfer extends Group {}

    @Command(
            name = "list",
            mixinStandardHelpOptions = true,
            description = "[Host] List a machine for rent.",
            subcommands = {ListMachineCommand.class, ListVolumeCommand.class})
    public static final class ListVerb extends Group {}

    @Command(
            name = "unlist",
            mixinStandardHelpOptions = true,
            description = "[Host] Take a machine's offers off the market.",
            subcommands = {UnlistMachineCommand.class, UnlistVolumeCommand.class})
    public static final class Unlist extends Group {}

    @Command(
            name = "schedule",
            mixinStandardHelpOptions = true,
            description = "[Host] Announce a maintenance window.",
            subcommands = {ScheduleMaintCommand.class})
    public static final class Schedule extends Group {}

    @Command(
            name = "change",
            mixinStandardHelpOptions = true,
            description = "Change an interruptible instance's bid.",
            subcommands = {ChangeBidCommand.class})
    public static final class Change extends Group {}

    @Command(
            name = "cancel",
            mixinStandardHelpOptions = true,
            description = "Cancel a maintenance window [Host], a copy or a cloud copy.",
            subcommands = {CancelMaintCommand.class, CancelCopyCommand.class, CancelSyncCommand.class})
    public static final class Cancel extends Group {}

    @Command(
            name = "report",
            mixinStandardHelpOptions = true,
            description = "Report a machine's problem to its host.",
            subcommands = {ReportInstanceCommand.class})
    public static final class Report extends Group {}

    @Command(
            name = "invite",
            mixinStandardHelpOptions = true,
            description = "Invite someone to your team.",
            subcommands = {InviteMemberCommand.class})
    public static final class Invite extends Group {}

    @Command(
            name = "join",
            mixinStandardHelpOptions = true,
            description = "Redeem a team invitation.",
            subcommands = {JoinTeamCommand.class})
    public static final class Join extends Group {}

    @Command(
            name = "remove",
            mixinStandardHelpOptions = true,
            description = "Remove a team member or role.",
            subcommands = {RemoveMemberCommand.class, RemoveTeamRoleCommand.class})
    public static final class Remove extends Group {}

    @Command(
            name = "cloud",
            mixinStandardHelpOptions = true,
            description = "Copy between an instance and S3-compatible cloud storage.",
            subcommands = {CloudCopyCommand.class})
    public static final class Cloud extends Group {}
}
