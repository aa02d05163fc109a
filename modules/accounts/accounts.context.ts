import type { AuditEntryInput } from '@weft/audit';
import type { Database, DbExecutor, Tx } from '@weft/db';
import type { Clock, Config, InstanceSecrets, Logger, SubjectRef } from '@weft/kernel';
import type { MailMessage } from '@weft/mailer';
import { deriveAccountKeys, type AccountKeys } from './account-keys';

/** What the composition root hands the accounts module: exactly these, nothing else. */
export interface AccountsDeps {
  database: Database;
  clock: Clock;
  config: Config;
  secrets: InstanceSecrets;
  audit: { recordAudit(entry: AuditEntryInput, executor?: DbExecutor): Promise<void> };
  mailer: { send(message: MailMessage): Promise<void> };
  /** Runs inside the sign-up transaction (the personal workspace); a throw undoes the sign-up. */
  onUserCreated(tx: Tx, user: { userId: string; username: string }): Promise<void>;
  /** Workspace id for an id or slug the user may use; throws (404) otherwise. */
  resolveWorkspaceForToken(userId: string, workspaceRef: string): Promise<string>;
  /** Hands a deleted account to the privacy module's erasure of every module. */
  eraseSubject(subject: SubjectRef): Promise<void>;
  logger: Logger;
}

/** The resources bag every accounts service shares. */
export interface AccountsContext extends Omit<AccountsDeps, 'secrets'> {
  keys: AccountKeys;
}

export function createAccountsContext(deps: AccountsDeps): AccountsContext {
  const { secrets, ...rest } = deps;
  return { ...rest, keys: deriveAccountKeys(secrets) };
}

/** Where a request came from; the IP is only ever stored as a keyed network hash. */
export interface RequestMeta {
  ip: string;
  userAgent: string | null;
  /** Approximate location from a trusted proxy's header (a country code, or "City, Country"), when configured. */
  location?: string;
}

export const SESSION_LIFETIME_MS = 30 * 86_400_000;

/** Sends mail after the change committed; a mail failure is logged, never undoes the change. */
export async function sendMailQuietly(context: AccountsContext, message: MailMessage, what: string): Promise<void> {
  try {
    await context.mailer.send(message);
  } catch (error) {
    context.logger.warn({ err: error, mail: what }, 'could not send mail');
  }
}
