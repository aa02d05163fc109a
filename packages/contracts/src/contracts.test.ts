import { describe, expect, expectTypeOf, it } from 'vitest';
import { z } from 'zod';
import { toErrorBody } from '@weft/http';
import { AppError, CoreErrors } from '@weft/kernel';
import {
  AccountReply,
  ApiTokenList,
  AuditEntry,
  AuditLogPage,
  BotView,
  CommandBody,
  CreatedApiToken,
  Email,
  GuildSettingsBody,
  GuildSettingsView,
  ScheduleList,
  UsageQuery,
  SignedInReply,
  CreateWorkflowBody,
  CredentialView,
  ErrorEnvelope,
  PageQuery,
  ValidationIssue,
  WorkflowSummary,
  WorkspaceAuditLogQuery,
  WorkspaceView,
  type CreateWorkspaceBody,
  type ScheduleView,
} from './index';

const at = new Date('2026-06-01T12:30:00Z');

describe('reply schemas', () => {
  it('turn the Dates a service returns into ISO 8601 strings', () => {
    const entry = AuditEntry.parse({ id: 'a1', actorType: 'user', actorId: 'u1', action: 'workspace.created', targetType: null, targetId: null, workspaceId: 'w1', details: {}, at });
    expect(entry.at).toBe('2026-06-01T12:30:00.000Z');
    const workspace = WorkspaceView.parse({ id: 'w1', slug: 'acme', name: 'Acme', kind: 'team', createdAt: at, role: 'owner', permissions: ['workspace.read'] });
    expect(workspace.createdAt).toBe('2026-06-01T12:30:00.000Z');
    const summary = WorkflowSummary.parse({
      id: 'f1', workspaceId: 'w1', name: 'Hello', description: '', publishedVersionId: null, publishedVersion: null,
      settings: {}, createdBy: 'u1', createdAt: at, updatedAt: at, archivedAt: null,
    });
    expect(summary).toMatchObject({ createdAt: '2026-06-01T12:30:00.000Z', archivedAt: null, settings: { savingPolicy: 'all', timeoutMs: 300_000 } });
    // What the web app reads is the output type: strings, never Dates.
    expectTypeOf<AuditEntry['at']>().toEqualTypeOf<string>();
    expectTypeOf<WorkflowSummary['archivedAt']>().toEqualTypeOf<string | null>();
  });

  it('refuse a date that is already a string: the server hands Dates over, anything else is a bug', () => {
    expect(() => CredentialView.parse({ id: 'c1', type: 'api-key', name: 'Key', publicFields: {}, createdAt: at.toISOString(), updatedAt: at, lastUsedAt: null })).toThrow(z.ZodError);
  });

  it('drop the keys they do not declare, so a secret a service returned by mistake stays on the server', () => {
    const view = CredentialView.parse({ id: 'c1', type: 'api-key', name: 'Key', publicFields: { name: 'X-API-Key' }, secretFields: { key: 'sk_live_1' }, createdAt: at, updatedAt: at, lastUsedAt: null });
    expect(JSON.stringify(view)).not.toContain('sk_live_1');
    const page = AuditLogPage.parse({ items: [{ id: 'a1', actorType: 'user', actorId: null, action: 'x', targetType: null, targetId: null, workspaceId: null, details: {}, at, ipHash: 'abc' }], nextCursor: null });
    expect(page.items[0]).not.toHaveProperty('ipHash');
  });
});

describe('reply schemas of accounts, bots and schedules', () => {
  const account = {
    id: 'u1', email: 'ada@example.com', isEmailVerified: true, username: 'ada', locale: 'en', isAdmin: false,
    hasPassword: true, isTotpEnabled: true, isDiscordLinked: false, createdAt: at,
  };

  it('never carry a password hash, a TOTP secret or recovery codes, even when the user row has them', () => {
    const row = { ...account, passwordHash: '$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$aGFzaA', totpSecret: 'JBSWY3DPEHPK3PXP', recoveryCodeHashes: ['h1'] };
    const signedIn = SignedInReply.parse({ user: row, csrfToken: 'csrf-1' });
    expect(JSON.stringify(signedIn)).not.toMatch(/argon2id|JBSWY3DPEHPK3PXP|recoveryCode/);
    expect(AccountReply.parse(row)).toEqual({ ...account, createdAt: '2026-06-01T12:30:00.000Z' });
  });

  it('show an API token by its prefix only; its secret leaves the server once, in the reply that creates it', () => {
    const token = { id: 't1', name: 'CI', prefix: 'weft_ab12', workspaceId: 'w1', scopes: ['runs:read'], createdAt: at, lastUsedAt: null, expiresAt: null, tokenHash: 'sha256-of-secret' };
    const list = ApiTokenList.parse({ items: [token] });
    expect(JSON.stringify(list)).not.toContain('sha256-of-secret');
    expect(CreatedApiToken.parse({ token, secret: 'weft_ab12_secret' })).toMatchObject({ secret: 'weft_ab12_secret', token: { prefix: 'weft_ab12' } });
  });

  it('never carry a bot token or the id of the credential that seals it', () => {
    const bot = BotView.parse({
      id: 'b1', workspaceId: 'w1', applicationId: '123456789012345678', publicKey: 'a'.repeat(64),
      botUser: { id: '223456789012345678', name: 'Weft Bot', avatar: null }, features: ['moderation'], desiredState: 'running',
      status: 'online', statusDetail: null, interactionsUrl: 'http://127.0.0.1:3000/discord/interactions/b1', createdAt: at, updatedAt: at,
      token: 'MTIz.NDU2.Nzg5-bot-token', credentialId: 'c1',
    });
    expect(JSON.stringify(bot)).not.toMatch(/bot-token|credentialId/);
    expect(bot.createdAt).toBe('2026-06-01T12:30:00.000Z');
  });

  it('give schedule times as ISO strings and keep the worker lease to the server', () => {
    const schedule = {
      id: 's1', workflowId: 'f1', versionId: 'v1', nodeId: 'start', cron: '0 9 * * *', timezone: 'Europe/Berlin',
      missedFirePolicy: 'fire-once', nextFireAt: at, lastFiredAt: null, lastRunId: null, claimedBy: 'worker-1',
    };
    const [item] = ScheduleList.parse({ items: [schedule] }).items;
    expect(item).toMatchObject({ nextFireAt: '2026-06-01T12:30:00.000Z', lastFiredAt: null });
    expect(item).not.toHaveProperty('claimedBy');
    expectTypeOf<ScheduleView['nextFireAt']>().toEqualTypeOf<string>();
  });

  it('answer guild settings without keys a service added, rather than failing the reply', () => {
    const settings = { guildId: '123456789012345678', enabledFeatures: [], channels: {}, staffRoleIds: [], updatedAt: null, botId: 'b1' };
    expect(GuildSettingsView.parse(settings)).not.toHaveProperty('botId');
    // The body is strict: what an editor sends is exactly the three settings.
    expect(GuildSettingsBody.safeParse({ enabledFeatures: ['welcome'], channels: { welcome: '223456789012345678' }, staffRoleIds: [] }).success).toBe(true);
    expect(GuildSettingsBody.safeParse({ enabledFeatures: [], channels: {}, staffRoleIds: [], botId: 'b1' }).success).toBe(false);
  });
});

describe('request schemas', () => {
  it('fill paging defaults and read numbers from the query string', () => {
    expect(PageQuery.parse({})).toEqual({ limit: 50 });
    expect(PageQuery.parse({ limit: '20', cursor: 'abc' })).toEqual({ limit: 20, cursor: 'abc' });
    expect(PageQuery.safeParse({ limit: '0' }).success).toBe(false);
    expect(PageQuery.safeParse({ limit: '201' }).success).toBe(false);
  });

  it('never let the query choose the workspace of a workspace-scoped audit log', () => {
    expect(WorkspaceAuditLogQuery.parse({ workspaceId: 'someone-else', action: 'x' })).toEqual({ limit: 50, action: 'x' });
  });

  it('refuse unknown keys in strict bodies', () => {
    expect(CreateWorkflowBody.safeParse({ name: 'Hello', owner: 'me' }).success).toBe(false);
    expect(CreateWorkflowBody.parse({ name: '  Hello  ' })).toEqual({ name: 'Hello' });
    // Bodies are typed as what a client sends (z.input): defaults may be left out.
    expectTypeOf<CreateWorkspaceBody>().toEqualTypeOf<{ name: string; slug: string }>();
  });
});

describe('request schemas of accounts and bots', () => {
  it('read an email address in lower case, trimmed', () => {
    expect(Email.parse('  Ada@Example.COM ')).toBe('ada@example.com');
    expect(Email.safeParse('not-an-address').success).toBe(false);
  });

  it('fill the defaults of a command and hold it to Discord\'s naming and option rules', () => {
    const workflowId = '0b9c6f0e-4a8e-4f7e-9d6a-2b1f3c4d5e6f';
    expect(CommandBody.parse({ kind: 'slash', name: 'ping', description: 'Pong', workflowId })).toEqual({
      kind: 'slash', name: 'ping', description: 'Pong', options: [], workflowId, scope: 'global', isEphemeral: false, cooldownSeconds: 0, requiredPermissions: null, botPermissions: null,
    });
    expect(CommandBody.safeParse({ kind: 'slash', name: 'Ping', description: 'Pong', workflowId }).success).toBe(false);
    const optional = { type: 3, name: 'a', description: 'A' };
    const required = { type: 3, name: 'b', description: 'B', required: true };
    expect(CommandBody.safeParse({ kind: 'slash', name: 'ping', description: 'Pong', workflowId, options: [optional, required] }).success).toBe(false);
    expect(CommandBody.safeParse({ kind: 'user', name: 'Report', description: 'only slash commands have one', workflowId }).success).toBe(false);
  });

  it('read the usage window from the query string, 30 days unless told', () => {
    expect(UsageQuery.parse({})).toEqual({ days: 30 });
    expect(UsageQuery.parse({ days: '7' })).toEqual({ days: 7 });
    expect(UsageQuery.safeParse({ days: '401' }).success).toBe(false);
  });
});

describe('the error envelope', () => {
  it('parses what packages/http answers for an application error, a validation error and a crash', () => {
    const refused = toErrorBody(new AppError(CoreErrors.FORBIDDEN, 'Only instance administrators can do this'), 'req-1');
    expect(ErrorEnvelope.parse(refused.body)).toEqual({ error: { code: 'FORBIDDEN', message: 'Only instance administrators can do this', requestId: 'req-1' } });

    const invalid = PageQuery.safeParse({ limit: 'many' });
    const validation = ErrorEnvelope.parse(toErrorBody(invalid.error, 'req-2').body);
    expect(validation.error.code).toBe('VALIDATION_FAILED');
    expect(z.array(ValidationIssue).parse(validation.error.details)).toEqual([expect.objectContaining({ path: 'limit' })]);

    const crash = ErrorEnvelope.parse(toErrorBody(new Error('database password is hunter2'), 'req-3').body);
    expect(crash.error).toEqual({ code: 'INTERNAL', message: 'Something went wrong on our side', requestId: 'req-3' });
  });

  it('refuses a body that is not an error reply', () => {
    expect(ErrorEnvelope.safeParse({ message: 'nope' }).success).toBe(false);
    expect(ErrorEnvelope.safeParse({ error: { code: 42, message: 'nope' } }).success).toBe(false);
  });
});
