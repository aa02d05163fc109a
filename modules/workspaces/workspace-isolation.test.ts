import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestWorld, type TestUser, type TestWorld } from './test-world';

let world: TestWorld;
let alice: TestUser; // member of A
let bob: TestUser; // member of B
let teamA: { id: string; slug: string };
let teamB: { id: string; slug: string };

beforeAll(async () => {
  world = await createTestWorld();
  alice = await world.createUser('alice');
  bob = await world.createUser('bob');
  teamA = await world.createTeam(alice, 'team-a');
  teamB = await world.createTeam(bob, 'team-b');
  await world.invite(bob, teamB.slug, 'someone@example.test', 'member');
  await world.invite(alice, teamA.slug, 'other@example.test', 'member');
});
afterAll(async () => {
  await world.close();
});

/** Every read path into a workspace, for one reference (id or slug). */
const readPaths = (ref: string) => [`/api/v1/workspaces/${ref}`, `/api/v1/workspaces/${ref}/members`, `/api/v1/workspaces/${ref}/invitations`];

describe('workspace isolation', () => {
  it('a member of workspace A gets 404 for workspace B by id and by slug, and the reverse', async () => {
    for (const [caller, other] of [
      [alice, teamB],
      [bob, teamA],
    ] as const) {
      for (const url of [...readPaths(other.id), ...readPaths(other.slug)]) {
        const res = await world.call(caller, 'GET', url);
        expect(res.statusCode, url).toBe(404);
        expect(res.json().error.code, url).toBe('WORKSPACE_NOT_FOUND');
      }
    }
  });

  it('answers an unknown workspace exactly like a foreign one', async () => {
    const foreign = await world.call(alice, 'GET', `/api/v1/workspaces/${teamB.slug}`);
    const unknown = await world.call(alice, 'GET', '/api/v1/workspaces/no-such-team');
    expect(unknown.statusCode).toBe(foreign.statusCode);
    expect(unknown.json().error.code).toBe(foreign.json().error.code);
    expect(unknown.json().error.message).toBe(foreign.json().error.message);
  });

  it('a member of A sees A but not B in their list, and the reverse', async () => {
    const aliceList = (await world.call(alice, 'GET', '/api/v1/workspaces')).json().items.map((w: { id: string }) => w.id);
    const bobList = (await world.call(bob, 'GET', '/api/v1/workspaces')).json().items.map((w: { id: string }) => w.id);
    expect(aliceList).toEqual(expect.arrayContaining([teamA.id, alice.personalWorkspaceId]));
    expect(aliceList).not.toContain(teamB.id);
    expect(aliceList).not.toContain(bob.personalWorkspaceId);
    expect(bobList).toEqual(expect.arrayContaining([teamB.id, bob.personalWorkspaceId]));
    expect(bobList).not.toContain(teamA.id);
  });

  it("a member of A cannot change, invite into, leave or delete B: 404, and B is unchanged", async () => {
    const attempts = [
      world.call(alice, 'PATCH', `/api/v1/workspaces/${teamB.id}`, { payload: { name: 'Taken over' } }),
      world.call(alice, 'POST', `/api/v1/workspaces/${teamB.slug}/invitations`, { payload: { email: alice.email, role: 'admin' } }),
      world.call(alice, 'PATCH', `/api/v1/workspaces/${teamB.slug}/members/${bob.id}`, { payload: { role: 'viewer' } }),
      world.call(alice, 'DELETE', `/api/v1/workspaces/${teamB.slug}/members/${bob.id}`),
      world.call(alice, 'POST', `/api/v1/workspaces/${teamB.slug}/transfer-ownership`, { payload: { userId: alice.id } }),
      world.call(alice, 'POST', `/api/v1/workspaces/${teamB.slug}/leave`),
      world.call(alice, 'DELETE', `/api/v1/workspaces/${teamB.id}`),
    ];
    for (const res of await Promise.all(attempts)) {
      expect(res.statusCode).toBe(404);
      expect(res.json().error.code).toBe('WORKSPACE_NOT_FOUND');
    }
    const b = (await world.call(bob, 'GET', `/api/v1/workspaces/${teamB.id}`)).json();
    expect(b).toMatchObject({ name: 'Team team-b', role: 'owner' });
  });

  it('requireWorkspaceAccess gives a non-member 404 and a member their role', async () => {
    const principal = { userId: alice.id, isAdmin: false, via: 'session' as const };
    await expect(world.module.api.requireWorkspaceAccess(principal, teamB.id, 'workspace.read')).rejects.toMatchObject({ code: 'WORKSPACE_NOT_FOUND' });
    await expect(world.module.api.requireWorkspaceAccess(principal, teamA.slug, 'workspace.read')).resolves.toMatchObject({
      role: 'owner',
      workspace: { id: teamA.id },
    });
    // Instance administrators get no silent way in through this check either.
    await expect(world.module.api.requireWorkspaceAccess({ ...principal, isAdmin: true }, teamB.id, 'workspace.read')).rejects.toMatchObject({ code: 'WORKSPACE_NOT_FOUND' });
  });

  it('an API token bound to workspace A sees only A: B and even the personal workspace are 404', async () => {
    const bound = { tokenWorkspaceId: teamA.id };
    expect((await world.call(alice, 'GET', `/api/v1/workspaces/${teamA.slug}`, bound)).statusCode).toBe(200);
    const personal = await world.call(alice, 'GET', `/api/v1/workspaces/${alice.personalWorkspaceId}`, bound);
    expect(personal.statusCode).toBe(404);
    expect(personal.json().error.code).toBe('WORKSPACE_NOT_FOUND');
    const list = (await world.call(alice, 'GET', '/api/v1/workspaces', bound)).json().items;
    expect(list.map((w: { id: string }) => w.id)).toEqual([teamA.id]);
    const create = await world.call(alice, 'POST', '/api/v1/workspaces', { ...bound, payload: { name: 'Escape', slug: 'escape-hatch' } });
    expect(create.statusCode).toBe(403);
  });

  it('an API token needs workspaces:write to change anything, workspaces:read to look', async () => {
    const readOnly = { tokenWorkspaceId: teamA.id, scopes: ['workspaces:read'] };
    expect((await world.call(alice, 'GET', `/api/v1/workspaces/${teamA.id}/members`, readOnly)).statusCode).toBe(200);
    const rename = await world.call(alice, 'PATCH', `/api/v1/workspaces/${teamA.id}`, { ...readOnly, payload: { name: 'Renamed' } });
    expect(rename.statusCode).toBe(403);
    expect(rename.json().error.details).toEqual({ requiredScope: 'workspaces:write' });
    const noRead = await world.call(alice, 'GET', `/api/v1/workspaces/${teamA.id}`, { tokenWorkspaceId: teamA.id, scopes: ['workflows:read'] });
    expect(noRead.statusCode).toBe(403);
    expect((await world.call(alice, 'GET', `/api/v1/workspaces/${teamA.id}`)).json().name).toBe('Team team-a');
  });

  it('an anonymous caller is asked to sign in and learns nothing', async () => {
    const res = await world.call(null, 'GET', `/api/v1/workspaces/${teamA.slug}`);
    expect(res.statusCode).toBe(401);
    expect(res.json().error.code).toBe('UNAUTHENTICATED');
  });
});
