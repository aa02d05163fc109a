import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestWorld, type TestUser, type TestWorld } from './test-world';

let world: TestWorld;
let owner: TestUser;
let team: { id: string; slug: string };

beforeAll(async () => {
  world = await createTestWorld();
  owner = await world.createUser('carla');
  team = await world.createTeam(owner, 'acme', 'Acme');
});
afterAll(async () => {
  await world.close();
});

/** Asserts the status and code and that no workspace, membership, invitation or audit row was written. */
async function expectRefusedWithoutWrites(request: () => ReturnType<TestWorld['call']>, status: number, code: string) {
  const tables = ['workspaces', 'memberships', 'invitations', 'audit_log'] as const;
  const before = await Promise.all(tables.map((t) => world.countRows(t)));
  const res = await request();
  expect(res.statusCode, res.body).toBe(status);
  expect(res.json().error.code).toBe(code);
  expect(await Promise.all(tables.map((t) => world.countRows(t)))).toEqual(before);
  return res.json().error;
}

let userCount = 0;
/**
 * Creation is rate limited per address (20 a minute) and every test user has
 * their own, so each refused attempt comes from a new user: the limit is not
 * what answers.
 */
async function create(payload: unknown) {
  const user = await world.createUser(`maker-${(userCount += 1)}`);
  return () => world.call(user, 'POST', '/api/v1/workspaces', { payload });
}

describe('creating a team workspace', () => {
  it('creates it with the caller as owner and lists it with the role', async () => {
    const res = await world.call(owner, 'POST', '/api/v1/workspaces', { payload: { name: '  Widgets Inc  ', slug: 'widgets-inc' } });
    expect(res.statusCode).toBe(201);
    expect(res.json()).toMatchObject({ slug: 'widgets-inc', name: 'Widgets Inc', kind: 'team', role: 'owner' });
    expect(res.json().permissions).toContain('ownership.transfer');
    const list = (await world.call(owner, 'GET', '/api/v1/workspaces')).json().items;
    expect(list.find((w: { slug: string }) => w.slug === 'widgets-inc')).toMatchObject({ role: 'owner' });
    expect(await world.listAuditActions(res.json().id)).toEqual(['workspace.created']);
  });

  it.each([
    ['a missing name', { slug: 'no-name' }, 'name'],
    ['a missing slug', { name: 'No slug' }, 'slug'],
    ['a number as name', { name: 42, slug: 'number-name' }, 'name'],
    ['an empty name', { name: '   ', slug: 'empty-name' }, 'name'],
    ['a name over 80 characters', { name: 'n'.repeat(81), slug: 'long-name' }, 'name'],
    ['a slug over 40 characters', { name: 'Long slug', slug: 's'.repeat(41) }, 'slug'],
    ['a slug under 3 characters', { name: 'Short', slug: 'ab' }, 'slug'],
    ['an uppercase slug', { name: 'Upper', slug: 'Acme-Two' }, 'slug'],
    ['a slug starting with a dash', { name: 'Dash', slug: '-dash' }, 'slug'],
    ['a slug ending with a dash', { name: 'Dash', slug: 'dash-' }, 'slug'],
    ['a slug with an underscore', { name: 'Under', slug: 'under_score' }, 'slug'],
    ['an unknown field', { name: 'Extra', slug: 'extra-field', owner: 'me' }, ''],
  ])('refuses %s with 400 VALIDATION_FAILED and writes nothing', async (_label, payload, path) => {
    const error = await expectRefusedWithoutWrites(await create(payload), 400, 'VALIDATION_FAILED');
    expect(error.details.map((d: { path: string }) => d.path)).toContain(path);
  });

  it('refuses a body that is not JSON', async () => {
    await expectRefusedWithoutWrites(
      () => world.app.inject({ method: 'POST', url: '/api/v1/workspaces', headers: { 'x-test-user': owner.id, 'content-type': 'application/json' }, payload: '{"name":' }),
      400,
      'MALFORMED_JSON',
    );
  });

  it.each(['api', 'www', 'admin', 'hooks', 'weft', 'status'])('refuses the reserved slug %s with WORKSPACE_SLUG_RESERVED', async (slug) => {
    await expectRefusedWithoutWrites(await create({ name: 'Reserved', slug }), 400, 'WORKSPACE_SLUG_RESERVED');
  });

  it('refuses a slug shaped like a workspace id', async () => {
    await expectRefusedWithoutWrites(await create({ name: 'Sneaky', slug: team.id }), 400, 'WORKSPACE_SLUG_INVALID');
  });

  it('refuses a taken slug with 409 WORKSPACE_SLUG_TAKEN, including a personal workspace slug', async () => {
    await expectRefusedWithoutWrites(await create({ name: 'Acme again', slug: 'acme' }), 409, 'WORKSPACE_SLUG_TAKEN');
    await expectRefusedWithoutWrites(await create({ name: 'Mine', slug: 'carla' }), 409, 'WORKSPACE_SLUG_TAKEN');
  });

  it('refuses an anonymous caller with 401 and writes nothing', async () => {
    await expectRefusedWithoutWrites(() => world.call(null, 'POST', '/api/v1/workspaces', { payload: { name: 'Anon', slug: 'anon-team' } }), 401, 'UNAUTHENTICATED');
  });
});

describe('changing and deleting a workspace', () => {
  it('renames and re-slugs it, audited with what changed', async () => {
    const res = await world.call(owner, 'PATCH', `/api/v1/workspaces/${team.slug}`, { payload: { name: 'Acme Corp', slug: 'acme-corp' } });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ id: team.id, name: 'Acme Corp', slug: 'acme-corp' });
    expect((await world.call(owner, 'GET', '/api/v1/workspaces/acme-corp')).json().id).toBe(team.id);
    expect((await world.call(owner, 'GET', '/api/v1/workspaces/acme')).statusCode).toBe(404);
    expect(await world.listAuditActions(team.id)).toContain('workspace.updated');
    team = { id: team.id, slug: 'acme-corp' };
  });

  it.each([
    ['an empty body', {}, 400, 'VALIDATION_FAILED'],
    ['a name over 80 characters', { name: 'x'.repeat(81) }, 400, 'VALIDATION_FAILED'],
    ['a bad slug', { slug: 'Bad Slug' }, 400, 'VALIDATION_FAILED'],
    ['a reserved slug', { slug: 'docs' }, 400, 'WORKSPACE_SLUG_RESERVED'],
    ['a taken slug', { slug: 'carla' }, 409, 'WORKSPACE_SLUG_TAKEN'],
  ])('refuses %s and changes nothing', async (_label, payload, status, code) => {
    await expectRefusedWithoutWrites(() => world.call(owner, 'PATCH', `/api/v1/workspaces/${team.id}`, { payload }), status, code);
    expect((await world.call(owner, 'GET', `/api/v1/workspaces/${team.id}`)).json()).toMatchObject({ name: 'Acme Corp', slug: 'acme-corp' });
  });

  it('refuses bad path and query parameters with 400', async () => {
    await expectRefusedWithoutWrites(() => world.call(owner, 'GET', `/api/v1/workspaces/${'x'.repeat(80)}`), 400, 'VALIDATION_FAILED');
    await expectRefusedWithoutWrites(() => world.call(owner, 'GET', '/api/v1/workspaces?limit=0'), 400, 'VALIDATION_FAILED');
    await expectRefusedWithoutWrites(() => world.call(owner, 'DELETE', `/api/v1/workspaces/${team.id}/invitations/not-a-uuid`), 400, 'VALIDATION_FAILED');
    await expectRefusedWithoutWrites(
      () => world.call(owner, 'PATCH', `/api/v1/workspaces/${team.id}/members/${owner.id}`, { payload: { role: 'superuser' } }),
      400,
      'VALIDATION_FAILED',
    );
    await expectRefusedWithoutWrites(() => world.call(owner, 'POST', '/api/v1/invitations/accept', { payload: {} }), 400, 'VALIDATION_FAILED');
  });

  it('deletes a team: gone for its members, slug still reserved, pending invitations revoked', async () => {
    await world.invite(owner, team.slug, 'pending@example.test', 'member');
    const token = world.lastTokenSentTo('pending@example.test');
    const res = await world.call(owner, 'DELETE', `/api/v1/workspaces/${team.slug}`);
    expect(res.statusCode).toBe(204);
    expect((await world.call(owner, 'GET', `/api/v1/workspaces/${team.id}`)).statusCode).toBe(404);
    expect(await world.module.api.findWorkspace(team.id)).toBeNull();
    await expectRefusedWithoutWrites(await create({ name: 'Squatter', slug: 'acme-corp' }), 409, 'WORKSPACE_SLUG_TAKEN');
    const invitee = await world.createUser('pending', 'pending@example.test');
    const accepted = await world.call(invitee, 'POST', '/api/v1/invitations/accept', { payload: { token } });
    expect(accepted.json().error.code).toBe('INVITATION_INVALID');
    expect(await world.listAuditActions(team.id)).toContain('workspace.deleted');
  });
});
