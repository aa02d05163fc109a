import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { queryRows } from '@weft/db';
import { newId } from '@weft/kernel';
import { createTestWorld, type TestWorld } from './test-world';

let world: TestWorld;

beforeAll(async () => {
  world = await createTestWorld();
});
afterAll(async () => {
  await world.close();
});

async function countFor(userId: string) {
  const [row] = await queryRows<{ workspaces: number; memberships: number; audit: number }>(
    world.database.db,
    sql`SELECT (SELECT count(*)::int FROM workspaces WHERE created_by = ${userId}) AS workspaces,
               (SELECT count(*)::int FROM memberships WHERE user_id = ${userId}) AS memberships,
               (SELECT count(*)::int FROM audit_log WHERE actor_id = ${userId}) AS audit`,
  );
  return row;
}

describe('personal workspace', () => {
  it('is created with its owner inside the caller’s transaction, and audited there', async () => {
    const user = await world.createUser('Paula');
    const workspace = await world.module.api.findWorkspace(user.personalWorkspaceId);
    expect(workspace).toMatchObject({ slug: 'paula', name: 'Paula', kind: 'personal', createdBy: user.id });
    expect(await world.module.api.listWorkspacesOf(user.id)).toEqual([expect.objectContaining({ role: 'owner' })]);
    expect(await countFor(user.id)).toEqual({ workspaces: 1, memberships: 1, audit: 1 });
  });

  it('leaves nothing behind when the sign-up transaction rolls back', async () => {
    const userId = newId();
    await expect(
      world.database.transaction(async (tx) => {
        await world.module.api.createPersonalWorkspace(tx, { userId, username: 'ghost' });
        throw new Error('the user insert failed');
      }),
    ).rejects.toThrow('the user insert failed');
    expect(await countFor(userId)).toEqual({ workspaces: 0, memberships: 0, audit: 0 });
    expect(await world.module.api.findWorkspace('ghost')).toBeNull();
  });

  it('makes the slug unique with a suffix when the username’s slug is taken', async () => {
    await world.createUser('sam.lee');
    const second = await world.createUser('Sam_Lee');
    const workspace = await world.module.api.findWorkspace(second.personalWorkspaceId);
    expect(workspace!.slug).toMatch(/^sam-lee-[a-z0-9]{4}$/);
  });

  it('never takes a reserved, too short or unusable slug', async () => {
    const cases: [string, RegExp][] = [
      ['admin', /^admin-[a-z0-9]{4}$/],
      ['jo', /^jo-[a-z0-9]{4}$/],
      ['__', /^w-[a-z0-9]{4}$/],
      ['Zoë Ångström', /^zoe-angstrom$/],
      ['x'.repeat(60), /^x{35}-[a-z0-9]{4}$|^x{40}$/],
    ];
    for (const [username, pattern] of cases) {
      const user = await world.createUser(username, `${newId()}@example.test`);
      const workspace = await world.module.api.findWorkspace(user.personalWorkspaceId);
      expect(workspace!.slug, username).toMatch(pattern);
      expect(workspace!.name).toBe(username.slice(0, 80));
    }
  });

  it('cannot receive invitations', async () => {
    const user = await world.createUser('solo');
    const res = await world.invite(user, user.personalWorkspaceId, 'friend@example.test', 'viewer');
    expect(res.statusCode).toBe(409);
    expect(res.json().error.code).toBe('WORKSPACE_PERSONAL');
  });
});
