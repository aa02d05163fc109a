import { hashIpAddress, newId } from '@weft/kernel';
import type { DbExecutor } from '@weft/db';
import { sendMailQuietly, type AccountsContext, type RequestMeta } from './accounts.context';
import { composeSecurityNoticeMail, type SecurityEventKind } from './accounts.mails';
import { describeDevice } from './describe-device';
import { insertSecurityEvent, listSecurityEventsOf } from './security.repository';

/** Stores a security event with the hashed network only; pass the transaction of the change. */
export async function recordSecurityEvent(
  context: AccountsContext,
  executor: DbExecutor,
  userId: string,
  kind: SecurityEventKind,
  meta: RequestMeta,
): Promise<void> {
  await insertSecurityEvent(executor, {
    id: newId(),
    userId,
    kind,
    ipHash: hashIpAddress(meta.ip, context.keys.ipHashKey),
    userAgent: meta.userAgent,
    createdAt: context.clock.now(),
  });
}

/** Mails the account holder about the event; called after the change committed. */
export async function notifySecurityEvent(
  context: AccountsContext,
  user: { email: string; username: string },
  kind: SecurityEventKind,
  meta: RequestMeta,
): Promise<void> {
  const mail = composeSecurityNoticeMail(user.email, user.username, kind, { at: context.clock.now(), device: describeDevice(meta.userAgent) });
  await sendMailQuietly(context, mail, `security notice ${kind}`);
}

/** The latest events, described for the account page; network hashes stay on the server. */
export async function listSecurityEvents(context: AccountsContext, userId: string) {
  const events = await listSecurityEventsOf(context.database.db, userId);
  return events.map((event) => ({ kind: event.kind, device: describeDevice(event.userAgent), at: event.createdAt }));
}
