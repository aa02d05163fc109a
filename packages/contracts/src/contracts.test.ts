import { describe, expect, expectTypeOf, it } from 'vitest';
import { z } from 'zod';
import { toErrorBody } from '@weft/http';
import { AppError, CoreErrors } from '@weft/kernel';
import {
  AuditEntry,
  AuditLogPage,
  CreateWorkflowBody,
  CredentialView,
  ErrorEnvelope,
  PageQuery,
  ValidationIssue,
  WorkflowSummary,
  WorkspaceAuditLogQuery,
  WorkspaceView,
  type CreateWorkspaceBody,
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
