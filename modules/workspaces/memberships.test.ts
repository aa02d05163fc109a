import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestWorld, type TestUser, type TestWorld } from './test-world';

let world: TestWorld;
let owner: TestUser;
let admin: TestUser;
let member: TestUser;
let viewer: TestUser;
let team: { id: string; slug: string };

const membersUrl = (userId = '') => `/api/v1/workspaces/${team.slug}/members${userId ? `/${userId}` : ''}`;

async function roleOf(userId: string): Promise<string | undefined> {
  const res = await world.call(owner, 'GET', `${membersUrl()}?limit=200`);
  return res.json().items.find((m: { userId: string }) => m.userId === userId)?.role;
}

beforeAll(async () => {
  world = await createTestWorld();
  owner = await world.createUser('olivia');
  admin = await world.createUser('adam');
  member = await world.createUser('mia');
  viewer = await world.createUser('victor');
  team = await world.createTeam(owner, 'roles-team');
  await world.addMember(owner, team.slug, admin, 'admin');
  await world.addMember(owner, team.slug, member, 'member');
  await world.addMember(owner, team.slug, viewer, 'viewer');
});
afterAll(async () => {
  await world.close();
});

describe('roles', () => {
  it('a viewer cannot write: 403 WORKSPACE_FORBIDDEN naming the permission and the role, nothing changed', async () => {
    const auditBefore = await world.countRows('audit_log');
    const attempts = [
      world.call(viewer, 'PATCH', `/api/v1/workspaces/${team.slug}`, { payload: { name: 'Viewer was here' } }),
      world.call(viewer, 'POST', `/api/v1/workspaces/${team.slug}/invitations`, { payload: { email: 'x@example.test', role: 'viewer' } }),
      world.call(viewer, 'PATCH', membersUrl(member.id), { payload: { role: 'viewer' } }),
      world.call(viewer, 'DELETE', membersUrl(member.id)),
      world.call(viewer, 'DELETE', `/api/v1/workspaces/${team.slug}`),
    ];
    const expected = ['workspace.update', 'members.invite', 'members.change-role', 'members.remove', 'workspace.delete'];
    const results = await Promise.all(attempts);
    results.forEach((res, i) => {
      expect(res.statusCode).toBe(403);
      expect(res.json().error).toMatchObject({ code: 'WORKSPACE_FORBIDDEN', details: { permission: expected[i], role: 'viewer' } });
    });
    expect(await world.countRows('audit_log')).toBe(auditBefore);
    expect((await world.call(viewer, 'GET', `/api/v1/workspaces/${team.slug}`)).json().name).toBe('Team roles-team');
  });

  it('a viewer and a member see the members without their emails; owners and admins see them', async () => {
    for (const reader of [viewer, member]) {
      const items = (await world.call(reader, 'GET', membersUrl())).json().items;
      expect(items).toHaveLength(4);
      expect(JSON.stringify(items)).not.toContain('@example.test');
    }
    const items = (await world.call(admin, 'GET', membersUrl())).json().items;
    expect(items.find((m: { userId: string }) => m.userId === member.id)).toMatchObject({ email: member.email, username: 'mia', role: 'member' });
  });

  it('pages the member list with a cursor in join order', async () => {
    const first = (await world.call(owner, 'GET', `${membersUrl()}?limit=3`)).json();
    expect(first.items.map((m: { userId: string }) => m.userId)).toEqual([owner.id, admin.id, member.id]);
    const second = (await world.call(owner, 'GET', `${membersUrl()}?limit=3&cursor=${first.nextCursor}`)).json();
    expect(second).toEqual({ items: [expect.objectContaining({ userId: viewer.id })], nextCursor: null });
  });

  it('an admin cannot remove or demote the owner', async () => {
    const demote = await world.call(admin, 'PATCH', membersUrl(owner.id), { payload: { role: 'member' } });
    expect(demote.statusCode).toBe(403);
    expect(demote.json().error).toMatchObject({ code: 'WORKSPACE_FORBIDDEN', details: { role: 'admin', targetRole: 'owner' } });
    const remove = await world.call(admin, 'DELETE', membersUrl(owner.id));
    expect(remove.statusCode).toBe(403);
    expect(remove.json().error.code).toBe('WORKSPACE_FORBIDDEN');
    expect(await roleOf(owner.id)).toBe('owner');
  });

  it('an admin cannot grant owner, to anyone including themselves', async () => {
    for (const target of [member, admin]) {
      const res = await world.call(admin, 'PATCH', membersUrl(target.id), { payload: { role: 'owner' } });
      expect(res.statusCode).toBe(403);
      expect(res.json().error.code).toBe('WORKSPACE_FORBIDDEN');
    }
    expect(await roleOf(member.id)).toBe('member');
    expect(await roleOf(admin.id)).toBe('admin');
  });

  it('an admin changes a member and a viewer role, and the change is audited', async () => {
    const res = await world.call(admin, 'PATCH', membersUrl(viewer.id), { payload: { role: 'member' } });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ userId: viewer.id, role: 'member' });
    expect(await roleOf(viewer.id)).toBe('member');
    expect(await world.listAuditActions(team.id)).toContain('workspace.member.role-changed');
    await world.call(admin, 'PATCH', membersUrl(viewer.id), { payload: { role: 'viewer' } });
    expect(await roleOf(viewer.id)).toBe('viewer');
  });

  it('an unknown member is MEMBER_NOT_FOUND', async () => {
    const res = await world.call(owner, 'PATCH', membersUrl('no-such-user'), { payload: { role: 'viewer' } });
    expect(res.statusCode).toBe(404);
    expect(res.json().error.code).toBe('MEMBER_NOT_FOUND');
  });

  it('the last owner cannot leave, demote or remove themselves (409 WORKSPACE_LAST_OWNER)', async () => {
    const leave = await world.call(owner, 'POST', `/api/v1/workspaces/${team.slug}/leave`);
    expect(leave.statusCode).toBe(409);
    expect(leave.json().error.code).toBe('WORKSPACE_LAST_OWNER');
    const demote = await world.call(owner, 'PATCH', membersUrl(owner.id), { payload: { role: 'admin' } });
    expect(demote.json().error.code).toBe('WORKSPACE_LAST_OWNER');
    const remove = await world.call(owner, 'DELETE', membersUrl(owner.id));
    expect(remove.json().error.code).toBe('WORKSPACE_LAST_OWNER');
    expect(await roleOf(owner.id)).toBe('owner');
  });

  it('nobody can leave or give away their personal workspace', async () => {
    const personal = owner.personalWorkspaceId;
    const leave = await world.call(owner, 'POST', `/api/v1/workspaces/${personal}/leave`);
    expect(leave.statusCode).toBe(409);
    expect(leave.json().error.code).toBe('WORKSPACE_PERSONAL');
    const remove = await world.call(owner, 'DELETE', `/api/v1/workspaces/${personal}`);
    expect(remove.json().error.code).toBe('WORKSPACE_PERSONAL');
    const transfer = await world.call(owner, 'POST', `/api/v1/workspaces/${personal}/transfer-ownership`, { payload: { userId: admin.id } });
    expect(transfer.json().error.code).toBe('WORKSPACE_PERSONAL');
    expect((await world.call(owner, 'GET', `/api/v1/workspaces/${personal}`)).json()).toMatchObject({ kind: 'personal', role: 'owner' });
  });

  it('an admin cannot transfer ownership', async () => {
    const res = await world.call(admin, 'POST', `/api/v1/workspaces/${team.slug}/transfer-ownership`, { payload: { userId: admin.id } });
    expect(res.statusCode).toBe(403);
    expect(res.json().error.details).toEqual({ permission: 'ownership.transfer', role: 'admin' });
  });

  it('ownership transfer needs a member as target', async () => {
    const stranger = await world.createUser('stranger');
    const res = await world.call(owner, 'POST', `/api/v1/workspaces/${team.slug}/transfer-ownership`, { payload: { userId: stranger.id } });
    expect(res.statusCode).toBe(404);
    expect(res.json().error.code).toBe('MEMBER_NOT_FOUND');
    const self = await world.call(owner, 'POST', `/api/v1/workspaces/${team.slug}/transfer-ownership`, { payload: { userId: owner.id } });
    expect(self.json().error.code).toBe('WORKSPACE_TRANSFER_INVALID');
  });

  it('transfers ownership: the target becomes owner, the previous owner an admin, audited', async () => {
    const res = await world.call(owner, 'POST', `/api/v1/workspaces/${team.slug}/transfer-ownership`, { payload: { userId: member.id } });
    expect(res.statusCode).toBe(200);
    expect(await roleOf(member.id)).toBe('owner');
    expect(await roleOf(owner.id)).toBe('admin');
    expect(await world.listAuditActions(team.id)).toContain('workspace.ownership.transferred');
    // The former owner is now an admin and bound by an admin's limits.
    const back = await world.call(owner, 'PATCH', membersUrl(member.id), { payload: { role: 'admin' } });
    expect(back.json().error.code).toBe('WORKSPACE_FORBIDDEN');
  });

  it('an owner can leave once another owner exists; removal by an owner is audited', async () => {
    // member is the owner now; make admin a co-owner, then member leaves.
    expect((await world.call(member, 'PATCH', membersUrl(admin.id), { payload: { role: 'owner' } })).statusCode).toBe(200);
    const leave = await world.call(member, 'POST', `/api/v1/workspaces/${team.slug}/leave`);
    expect(leave.statusCode).toBe(204);
    expect(await roleOf(member.id)).toBeUndefined();
    expect((await world.call(member, 'GET', `/api/v1/workspaces/${team.slug}`)).statusCode).toBe(404);
    const remove = await world.call(admin, 'DELETE', membersUrl(viewer.id));
    expect(remove.statusCode).toBe(204);
    expect(await roleOf(viewer.id)).toBeUndefined();
    const actions = await world.listAuditActions(team.id);
    expect(actions).toEqual(expect.arrayContaining(['workspace.member.left', 'workspace.member.removed']));
  });
});
