import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { queryRows } from '@weft/db';
import { createTestWorld, type TestWorld } from './test-world';

let world: TestWorld;
beforeAll(async () => {
  world = await createTestWorld();
});
afterAll(async () => {
  await world.close();
});

interface AuditRow {
  action: string;
  actor_type: string;
  actor_id: string | null;
  target_type: string | null;
  target_id: string | null;
  ip_hash: string | null;
}

describe('audit trail', () => {
  it('every privileged action writes one audit entry naming who did what to whom, from which network', async () => {
    const owner = await world.createUser('auditor');
    const admin = await world.createUser('helper');
    const member = await world.createUser('worker');
    const team = await world.createTeam(owner, 'audited-team');
    const url = `/api/v1/workspaces/${team.id}`;

    await world.call(owner, 'PATCH', url, { payload: { name: 'Audited' } });
    await world.addMember(owner, team.id, admin, 'admin'); // invitation.created + invitation.accepted
    await world.addMember(owner, team.id, member, 'member');
    const revoked = (await world.invite(admin, team.id, 'nobody@example.test', 'viewer')).json();
    await world.call(admin, 'DELETE', `${url}/invitations/${revoked.id}`);
    await world.call(admin, 'PATCH', `${url}/members/${member.id}`, { payload: { role: 'viewer' } });
    await world.call(owner, 'POST', `${url}/transfer-ownership`, { payload: { userId: admin.id } });
    await world.call(owner, 'POST', `${url}/leave`);
    await world.call(admin, 'DELETE', `${url}/members/${member.id}`);
    expect((await world.call(admin, 'DELETE', url)).statusCode).toBe(204);

    const rows = await queryRows<AuditRow>(
      world.database.db,
      sql`SELECT action, actor_type, actor_id, target_type, target_id, ip_hash FROM audit_log WHERE workspace_id = ${team.id} ORDER BY at, id`,
    );
    const summary = rows.map((r) => [r.action, r.actor_id, r.target_type === 'invitation' ? 'invitation' : r.target_id]);
    expect(summary).toEqual([
      ['workspace.created', owner.id, team.id],
      ['workspace.updated', owner.id, team.id],
      ['workspace.invitation.created', owner.id, 'invitation'],
      ['workspace.invitation.accepted', admin.id, 'invitation'],
      ['workspace.invitation.created', owner.id, 'invitation'],
      ['workspace.invitation.accepted', member.id, 'invitation'],
      ['workspace.invitation.created', admin.id, 'invitation'],
      ['workspace.invitation.revoked', admin.id, 'invitation'],
      ['workspace.member.role-changed', admin.id, member.id],
      ['workspace.ownership.transferred', owner.id, admin.id],
      ['workspace.member.left', owner.id, owner.id],
      ['workspace.member.removed', admin.id, member.id],
      ['workspace.deleted', admin.id, team.id],
    ]);
    for (const row of rows) {
      expect(row.actor_type).toBe('user');
      expect(row.ip_hash, row.action).toMatch(/^[0-9a-f]{32}$/);
    }
    // Invitation entries never carry the invitee's address.
    expect(JSON.stringify(await queryRows(world.database.db, sql`SELECT * FROM audit_log`))).not.toContain('nobody@example.test');
  });

  it('writes the domain events other modules clean up on, in the same transactions', async () => {
    const rows = await queryRows<{ name: string; payload: unknown }>(
      world.database.db,
      sql`SELECT name, payload FROM outbox_events WHERE name LIKE 'workspaces.%' ORDER BY id`,
    );
    expect(rows.map((r) => [r.name, (r.payload as { reason: string }).reason])).toEqual([
      ['workspaces.member.removed', 'left'],
      ['workspaces.member.removed', 'removed'],
      ['workspaces.workspace.deleted', 'deleted'],
    ]);
  });
});
