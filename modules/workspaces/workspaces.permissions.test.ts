import { describe, expect, it } from 'vitest';
import { can, canActOnMember, canGrantRole, listPermissions, PERMISSIONS } from './workspaces.permissions';
import { deriveSlugBase, isSlugUsable, suffixSlug } from './workspace-slug';

describe('permission table', () => {
  it('gives the owner every permission', () => {
    expect(listPermissions('owner')).toEqual([...PERMISSIONS]);
  });

  it('gives an admin everything but deleting, transferring and billing', () => {
    expect(PERMISSIONS.filter((p) => !can('admin', p))).toEqual(['workspace.delete', 'ownership.transfer', 'billing.manage']);
  });

  it('lets a member read and write resources and nothing administrative', () => {
    expect(listPermissions('member')).toEqual(['workspace.read', 'members.read', 'resources.read', 'resources.write', 'resources.execute']);
  });

  it('lets a viewer only read', () => {
    expect(listPermissions('viewer')).toEqual(['workspace.read', 'members.read', 'resources.read']);
  });

  it('lets an admin act on members and viewers only, and never grant owner', () => {
    expect(['owner', 'admin', 'member', 'viewer'].map((t) => canActOnMember('admin', t as never))).toEqual([false, false, true, true]);
    expect(canActOnMember('owner', 'owner')).toBe(true);
    expect(canActOnMember('member', 'viewer')).toBe(false);
    expect(canGrantRole('admin', 'owner')).toBe(false);
    expect(canGrantRole('admin', 'admin')).toBe(true);
    expect(canGrantRole('owner', 'owner')).toBe(true);
  });
});

describe('slugs', () => {
  it('folds a username into the slug alphabet', () => {
    expect(deriveSlugBase('  Ana María_Lopez!! ')).toBe('ana-maria-lopez');
    expect(deriveSlugBase('---')).toBe('');
  });

  it('refuses reserved, short, dashed and UUID-shaped slugs', () => {
    expect(isSlugUsable('api')).toBe(false);
    expect(isSlugUsable('ab')).toBe(false);
    expect(isSlugUsable('-abc')).toBe(false);
    expect(isSlugUsable('0190a3b2-7c4d-7e8f-9a0b-1c2d3e4f5a6b')).toBe(false);
    expect(isSlugUsable('my-team')).toBe(true);
  });

  it('keeps suffixed slugs within 40 characters and usable', () => {
    const slug = suffixSlug('a'.repeat(40));
    expect(slug.length).toBeLessThanOrEqual(40);
    expect(isSlugUsable(slug)).toBe(true);
  });
});
