/**
 * Domain events written to the outbox in the transaction of the change.
 * Modules that keep per-workspace or per-member state (API tokens bound to a
 * workspace, bots, schedules) subscribe to clean up; delivery is at least once.
 */
export const WorkspaceEvents = {
  workspaceDeleted: 'workspaces.workspace.deleted',
  memberRemoved: 'workspaces.member.removed',
} as const;

export interface WorkspaceDeletedPayload {
  workspaceId: string;
  /** `erasure`: the personal workspace of an erased user, or a team left without a successor. */
  reason: 'deleted' | 'erasure';
}

export interface MemberRemovedPayload {
  workspaceId: string;
  userId: string;
  reason: 'removed' | 'left' | 'erasure';
}
