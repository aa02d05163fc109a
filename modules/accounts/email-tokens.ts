import { newId, randomToken, sha256Hex } from '@weft/kernel';
import type { DbExecutor } from '@weft/db';
import type { AccountsContext } from './accounts.context';
import { insertEmailToken, type EmailTokenPurpose } from './users.repository';

const LIFETIME_MS: Record<EmailTokenPurpose, number> = {
  'verify-email': 24 * 3_600_000,
  'reset-password': 3_600_000,
  'change-email': 24 * 3_600_000,
};

const PAGE: Record<EmailTokenPurpose, string> = {
  'verify-email': 'verify-email',
  'reset-password': 'reset-password',
  'change-email': 'confirm-email-change',
};

/** Issues a single-use token and returns the dashboard link that carries it; only its SHA-256 is stored. */
export async function issueEmailLink(
  context: AccountsContext,
  executor: DbExecutor,
  userId: string,
  purpose: EmailTokenPurpose,
  newEmail?: string,
): Promise<string> {
  const now = context.clock.now();
  const token = randomToken(32);
  await insertEmailToken(executor, {
    id: newId(),
    userId,
    purpose,
    tokenHash: sha256Hex(token),
    createdAt: now,
    expiresAt: new Date(now.getTime() + LIFETIME_MS[purpose]),
    newEmail: newEmail ?? null,
  });
  return `${context.config.publicUrl}/${PAGE[purpose]}?token=${token}`;
}
