import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { queryRows } from '@weft/db';
import { createTestWorld, type TestUser, type TestWorld } from './test-world';

let world: TestWorld;
let subject: TestUser;
const teams: Record<string, { id: string; slug: string }> = {};
const people: Record<string, TestUser> = {};

async function rolesIn(team: string): Promise<Record<string, string>> {
  const rows = await queryRows<{ user_id: string; role: string }>(world.database.db, sql`SELECT user_id, role FROM memberships WHERE workspace_id = ${teams[team]!.id}`);
  const byName = Object.fromEntries(Object.entries(people).map(([name, user]) => [user.id, name]));
  return Object.fromEntries(rows.map((r) => [byName[r.user_id] ?? r.user_id, r.role]));
}

beforeAll(async () => {
  world = await createTestWorld();
  subject = await world.createUser('sophie');
  for (const name of ['memberOld', 'adminNew', 'member2', 'viewer2', 'viewer3', 'coOwner', 'other']) {
    people[name] = await world.createUser(name.toLowerCase());
  }
  people.sophie = subject;
  const p = people as Record<string, TestUser>;
  // alone-owned team with an older member and a newer admin: the admin takes over
  teams.t1 = await world.createTeam(subject, 'sole-with-admin');
  await world.addMember(subject, teams.t1.id, p.memberOld!, 'member');
  await world.addMember(subject, teams.t1.id, p.adminNew!, 'admin');
  // alone-owned team with a member and a viewer: the member takes over
  teams.t2 = await world.createTeam(subject, 'sole-with-member');
  await world.addMember(subject, teams.t2.id, p.viewer2!, 'viewer');
  await world.addMember(subject, teams.t2.id, p.member2!, 'member');
  // alone-owned team with only a viewer: deleted
  teams.t3 = await world.createTeam(subject, 'sole-with-viewer');
  await world.addMember(subject, teams.t3.id, p.viewer3!, 'viewer');
  // co-owned team: the other owner simply remains
  teams.t4 = await world.createTeam(subject, 'co-owned');
  await world.addMember(subject, teams.t4.id, p.coOwner!, 'admin');
  await world.call(subject, 'PATCH', `/api/v1/workspaces/${teams.t4.id}/members/${p.coOwner!.id}`, { payload: { role: 'owner' } });
  // someone else's team where the subject is a member, plus a pending invitation to the subject
  teams.t5 = await world.createTeam(p.other!, 'others-team');
  await world.addMember(p.other!, teams.t5.id, subject, 'member');
  teams.t6 = await world.createTeam(p.other!, 'pending-for-sophie');
  await world.invite(p.other!, teams.t6.id, subject.email, 'viewer');
  // an invitation the subject sent that is still pending
  await world.invite(subject, teams.t1.id, 'guest@example.test', 'viewer');
});
afterAll(async () => {
  await world.close();
});

describe('data rights', () => {
  it('exports the subject’s workspaces, memberships and invitations, without token hashes', async () => {
    const exported = await world.module.dataRights.exportSubject({ userId: subject.id });
    expect(exported.workspaces).toHaveLength(5); // personal + four teams created
    expect(exported.memberships!.map((m) => (m as { workspaceSlug: string }).workspaceSlug)).toEqual([
      'sophie',
      'sole-with-admin',
      'sole-with-member',
      'sole-with-viewer',
      'co-owned',
      'others-team',
    ]);
    const invitations = exported.invitations as { email: string; invitedBy: string; acceptedBy: string | null }[];
    expect(invitations.filter((i) => i.invitedBy === subject.id)).toHaveLength(7); // six accepted by others, plus the guest
    expect(invitations.filter((i) => i.email === subject.email)).toHaveLength(2); // accepted into t5, pending for t6
    expect(JSON.stringify(exported)).not.toMatch(/tokenHash|token_hash/);
  });

  it('erases: personal workspace deleted, teams handed over or deleted, invitations to them gone, the rest anonymized', async () => {
    await world.module.dataRights.eraseSubject({ userId: subject.id });

    expect(await world.module.api.listWorkspacesOf(subject.id)).toEqual([]);
    const personal = await queryRows(world.database.db, sql`SELECT 1 FROM workspaces WHERE id = ${subject.personalWorkspaceId}`);
    expect(personal).toHaveLength(0);
    expect(await rolesIn('t1')).toEqual({ memberOld: 'member', adminNew: 'owner' });
    expect(await rolesIn('t2')).toEqual({ viewer2: 'viewer', member2: 'owner' });
    expect(await world.module.api.findWorkspace(teams.t3!.id)).toBeNull();
    expect((await world.call(people.viewer3!, 'GET', `/api/v1/workspaces/${teams.t3!.id}`)).statusCode).toBe(404);
    expect(await rolesIn('t4')).toEqual({ coOwner: 'owner' });
    expect(await rolesIn('t5')).toEqual({ other: 'owner' });

    // Nothing in this module's tables points at the subject any more.
    for (const table of ['workspaces', 'memberships', 'invitations']) {
      const rows = await queryRows(world.database.db, sql`SELECT * FROM ${sql.identifier(table)}`);
      const text = JSON.stringify(rows);
      expect(text, table).not.toContain(subject.id);
      expect(text, table).not.toContain(subject.email);
    }
    const guest = await queryRows<{ invited_by: string }>(world.database.db, sql`SELECT invited_by FROM invitations WHERE email = 'guest@example.test'`);
    expect(guest).toEqual([{ invited_by: 'erased-subject' }]);
    expect(await world.module.dataRights.exportSubject({ userId: subject.id })).toEqual({ workspaces: [], memberships: [], invitations: [] });
  });

  it('records the hand-overs as system actions and tells other modules what went away', async () => {
    const transfers = await queryRows<{ workspace_id: string; actor_type: string; target_id: string }>(
      world.database.db,
      sql`SELECT workspace_id, actor_type, target_id FROM audit_log WHERE action = 'workspace.ownership.transferred' ORDER BY at, id`,
    );
    expect(transfers).toEqual([
      { workspace_id: teams.t1!.id, actor_type: 'system', target_id: people.adminNew!.id },
      { workspace_id: teams.t2!.id, actor_type: 'system', target_id: people.member2!.id },
    ]);
    const deleted = await queryRows<{ payload: { workspaceId: string; reason: string } }>(
      world.database.db,
      sql`SELECT payload FROM outbox_events WHERE name = 'workspaces.workspace.deleted' ORDER BY id`,
    );
    expect(deleted.map((r) => r.payload)).toEqual([
      { workspaceId: subject.personalWorkspaceId, reason: 'erasure' },
      { workspaceId: teams.t3!.id, reason: 'erasure' },
    ]);
  });
});
