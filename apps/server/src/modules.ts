import { join } from 'node:path';
import { createAccountsModule, type AccountsModule } from '@weft/accounts';
import { createAuditModule } from '@weft/audit';
import { createCredentialsModule } from '@weft/credentials';
import { createTriggersModule } from '@weft/triggers';
import { createBotsModule, type BotsModule } from '@weft/bots';
import { createContentModule, createLocalMediaStore, createS3MediaStore } from '@weft/content';
import { createEmbeddedVacuumJob, systemInventories, type Database } from '@weft/db';
import { createCoreNodeRegistry } from '@weft/engine';
import { hmacSha256, type Clock, type Config, type InstanceSecrets, type Logger } from '@weft/kernel';
import { createMailer, type Mailer } from '@weft/mailer';
import { createPrivacyModule } from '@weft/privacy';
import { createRunsModule } from '@weft/runs';
import { createSupportModule } from '@weft/support';
import { createWorkflowsModule } from '@weft/workflows';
import { composeInvitationMail, createWorkspacesModule, WorkspaceEvents, type WorkspaceDeletedPayload } from '@weft/workspaces';
import type { EventSubscriber } from '@weft/kernel';
import { loadInstanceKeyring } from './keys.commands';
import { createNodeServices } from './node-services';

type PrivacyModule = ReturnType<typeof createPrivacyModule>;

/** How the instance names itself in the privacy notice and its feeds. */
const INSTANCE_NAME = 'Weft';

export interface ModuleDeps {
  config: Config;
  database: Database;
  clock: Clock;
  secrets: InstanceSecrets;
  logger: Logger;
}

/**
 * Builds every module with exactly the dependencies it declares. Accounts and
 * workspaces need each other (sign-up creates the personal workspace; the
 * member list shows usernames), so each reaches the other through a function
 * that is only called at request time, after both exist.
 */
export function createModules({ config, database, clock, secrets, logger }: ModuleDeps) {
  const mailer: Mailer = createMailer({
    smtpUrl: config.mail.smtpUrl,
    from: config.mail.from,
    outboxDir: join(config.dataDir, 'outbox'),
    logger,
  });
  const audit = createAuditModule({
    database,
    clock,
    ipHashKey: hmacSha256(secrets.sessionSecret, 'ip-hash').toString('hex'),
    // Workspaces record into the audit log, so they are built after it; their check is only called at request time.
    requireWorkspaceAccess: (principal, ref, permission) => workspaces.api.requireWorkspaceAccess(principal, ref, permission),
  });
  const registry = createCoreNodeRegistry();

  // Filled in below once both sides exist; only read at request time.
  const late: { accounts?: AccountsModule; privacy?: PrivacyModule; bots?: BotsModule } = {};
  const workspaces = createWorkspacesModule({
    database,
    clock,
    audit: audit.api,
    users: { findUsersByIds: (ids) => late.accounts!.api.findUsersByIds(ids) },
    sendInvitationEmail: (input) => mailer.send(composeInvitationMail(input)),
    publicUrl: config.publicUrl,
  });
  const requireWorkspaceAccess = workspaces.api.requireWorkspaceAccess;
  const credentials = createCredentialsModule({
    database,
    clock,
    loadKeyring: () => loadInstanceKeyring(config.dataDir),
    requireWorkspaceAccess,
    recordAudit: audit.api.recordAudit,
  });
  const workflows = createWorkflowsModule({
    database,
    clock,
    registry,
    requireWorkspaceAccess,
    audit: audit.api,
    checkCredentials: credentials.api.checkCredentialReferences,
  });
  const nodeServices = createNodeServices(config, mailer, logger);
  const runs = createRunsModule({
    database,
    clock,
    logger,
    registry,
    // Discord actions and bot data come from the bots module, created after runs: bound late.
    servicesForWorkspace: (workspaceId) => ({
      ...nodeServices.forWorkspace(workspaceId),
      discord: late.bots!.api.discordActionsFor(workspaceId),
      botData: late.bots!.api.botDataFor(workspaceId),
    }),
    loadCredential: credentials.api.loadCredentialForRun,
    publicUrl: config.publicUrl,
    catalog: workflows.api.catalog,
    // Draft runs from the editor: the saved draft with its problems, credentials checked as publishing does.
    findDraft: workflows.api.getWorkflow,
    checkCredentials: credentials.api.checkCredentialReferences,
    requireWorkspaceAccess,
    audit: audit.api,
    // Embedded: webhook runs are acknowledged from a journal beside the database, before their commit.
    runJournalDir: join(config.dataDir, 'run-journal'),
  });

  const triggers = createTriggersModule({
    database,
    clock,
    logger,
    registry,
    catalog: workflows.api.catalog,
    startRun: runs.api.startTriggeredRun,
    requireWorkspaceAccess,
    // Instance-wide events (sign-ups) reach no workspace until an operator names one.
    instanceEventsWorkspaceId: null,
  });

  const bots = createBotsModule({
    database,
    clock,
    logger,
    requireWorkspaceAccess,
    recordAudit: audit.api.recordAudit,
    credentials: credentials.api,
    findWorkflow: workflows.api.catalog.findWorkflowRunSettings,
    runWorkflowNow: runs.api.runWorkflowNow,
    startTriggeredRun: runs.api.startTriggeredRun,
    findDiscordIdOfUser: (userId) => late.accounts!.api.findDiscordId(userId),
    findManagedDiscordGuilds: (userId) => late.accounts!.api.findManagedDiscordGuilds(userId),
    discord: { apiUrl: config.discord.apiUrl, authorizeUrl: config.discord.authorizeUrl, gatewayUrl: config.discord.gatewayUrl },
    publicUrl: config.publicUrl,
  });

  late.bots = bots;

  /** Uploaded files: under `prefix` in the S3-compatible store when one is configured (servers share it), else in a folder of the data dir. */
  const fileStore = (prefix: string, folder: string) =>
    config.media.s3 ? createS3MediaStore({ ...config.media.s3, clock, prefix }) : createLocalMediaStore(join(config.dataDir, folder));
  const content = createContentModule({
    database,
    clock,
    recordAudit: audit.api.recordAudit,
    publicUrl: config.publicUrl,
    instanceName: INSTANCE_NAME,
    store: fileStore('media/', 'media'),
    onStoreError: (error, id) => logger.warn({ err: error, mediaId: id }, 'an image file could not be removed'),
  });

  const support = createSupportModule({
    database,
    clock,
    recordAudit: audit.api.recordAudit,
    // Accounts are built below; these are only called at request time.
    findUser: async (userId) => (await late.accounts!.api.findUsersByIds([userId]))[0] ?? null,
    findUsernames: async (userIds) => new Map((await late.accounts!.api.findUsersByIds(userIds)).map((user) => [user.id, user.username])),
    sendMail: (message) => mailer.send(message),
    listStaff: async () => late.accounts!.api.listAdministrators(),
    // Ticket files are private: a folder or prefix of their own; only Weft serves them.
    files: fileStore('support/', 'support-files'),
    onFileError: (error, attachmentId) => logger.warn({ err: error, attachmentId }, 'a support file could not be removed'),
    onMailError: (error, ticketId) => logger.warn({ err: error, ticketId }, 'the mail about an answered ticket could not be sent'),
    publicUrl: config.publicUrl,
  });

  // Erasure order: modules that find the subject through the account (e.g.
  // invitations by email) run before accounts anonymizes it.
  const accounts = createAccountsModule({
    database,
    clock,
    config,
    secrets,
    logger,
    audit: audit.api,
    mailer,
    onUserCreated: async (tx, user) => {
      await workspaces.api.createPersonalWorkspace(tx, user);
    },
    resolveWorkspaceForToken: async (userId, ref) =>
      (await requireWorkspaceAccess({ userId, isAdmin: false, via: 'session' }, ref, 'workspace.read')).workspace.id,
    eraseSubject: async (subject) => {
      await late.privacy!.api.eraseSubject(subject);
    },
  });
  late.accounts = accounts;
  const privacy = createPrivacyModule({
    instanceName: INSTANCE_NAME,
    dataRights: () => [workspaces, credentials, workflows, runs, triggers, bots, content, support, audit, accounts].map((m) => m.dataRights),
    now: () => clock.now(),
    inventories: [
      ...systemInventories,
      ...audit.inventories,
      ...accounts.inventories,
      ...workspaces.inventories,
      ...credentials.inventories,
      ...workflows.inventories,
      ...runs.inventories,
      ...triggers.inventories,
      ...bots.inventories,
      ...content.inventories,
      ...support.inventories,
    ],
  });

  late.privacy = privacy;

  const subscribers: EventSubscriber[] = [
    {
      event: WorkspaceEvents.workspaceDeleted,
      name: 'credentials.purge-deleted-workspace',
      deliver: async (payload) => {
        await credentials.api.purgeWorkspaceCredentials((payload as WorkspaceDeletedPayload).workspaceId);
      },
    },
    ...triggers.subscribers,
  ];

  return {
    mailer,
    nodeServices,
    registry,
    audit,
    accounts,
    workspaces,
    credentials,
    workflows,
    runs,
    triggers,
    bots,
    content,
    support,
    privacy,
    jobs: [...audit.jobs, ...workspaces.jobs, ...runs.jobs, ...triggers.jobs, ...bots.jobs, ...support.jobs, ...accounts.jobs, createEmbeddedVacuumJob(database)],
    subscribers,
  };
}

export type Modules = ReturnType<typeof createModules>;
