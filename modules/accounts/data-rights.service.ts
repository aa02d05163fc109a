import type { SubjectRef } from '@weft/kernel';
import type { AccountsContext } from './accounts.context';
import { deleteIdleThrottles, deleteSecurityEventsBefore } from './security.repository';
import { deleteApiTokensEndedBefore, deleteSessionsEndedBefore } from './sessions.repository';
import { eraseSubjectRows, listSubjectRows } from './subject.repository';
import { deleteEmailTokensExpiredBefore } from './users.repository';
import { toErasedUsername } from './username-policy';

const DAY_MS = 86_400_000;

export function createDataRightsService(context: AccountsContext) {
  const { clock, database } = context;
  return {
    exportSubject(subject: SubjectRef): Promise<Record<string, unknown[]>> {
      return listSubjectRows(database.db, subject.userId);
    },

    async eraseSubject(subject: SubjectRef): Promise<void> {
      const compact = subject.userId.replace(/-/g, '');
      await database.transaction((tx) =>
        eraseSubjectRows(
          tx,
          subject.userId,
          {
            // `.invalid` can never receive mail (RFC 2606); the id keeps the unique index happy.
            email: `erased-${compact}@erased.invalid`,
            username: toErasedUsername(subject.userId),
            // Lower-case, while codes are matched upper-cased: an erased code never matches a referral link.
            referralCode: `erased-${compact}`,
          },
          clock.now(),
        ),
      );
    },

    /** The retention periods of the inventory, applied. */
    async purgeExpiredAccountData(): Promise<Record<string, number>> {
      const now = clock.now().getTime();
      const before = (days: number) => new Date(now - days * DAY_MS);
      return {
        sessions: await deleteSessionsEndedBefore(database.db, before(30)),
        apiTokens: await deleteApiTokensEndedBefore(database.db, before(30)),
        emailTokens: await deleteEmailTokensExpiredBefore(database.db, before(1)),
        loginThrottles: await deleteIdleThrottles(database.db, before(1), new Date(now)),
        securityEvents: await deleteSecurityEventsBefore(database.db, before(365)),
      };
    },
  };
}
