import { parseArgs } from 'node:util';
import type { AccountsModule } from '@weft/accounts';
import { AppError } from '@weft/kernel';

/**
 * `weft admin create-user` and `weft tokens create`: the accounts features a
 * self-hoster needs before any dashboard exists. They take the accounts API
 * of a built platform, so they go through the same policies, transactions
 * and audit entries as the HTTP API. Each returns an exit code.
 */
export type AccountsCommandsApi = Pick<AccountsModule['api'], 'createUser' | 'findUserByLogin' | 'createApiToken'>;

export interface CommandIo {
  /** Standard output: only what a script should capture (the token secret). */
  out(line: string): void;
  /** Standard error: messages for the person at the terminal. */
  err(line: string): void;
  /** All of standard input, for `--password-stdin`. */
  readStdin(): Promise<string>;
}

export const CREATE_USER_USAGE = `Usage: weft admin create-user --email E --username U (--password P | --password-stdin) [--admin]

Creates an account with a verified email address. --password-stdin reads the
password from standard input, which keeps it out of the shell history and the
process list.`;

export const CREATE_TOKEN_USAGE = `Usage: weft tokens create --user U --workspace W --scopes S [--name N] [--expires-at ISO-DATE]

Creates an API token for user U (email or username) in workspace W (id or
slug) with comma-separated scopes S, e.g. workflows:read,runs:write. The
secret is printed once on standard output.`;

const EX_USAGE = 64;
const EX_DATAERR = 65;

export async function createUserCommand(api: AccountsCommandsApi, args: string[], io: CommandIo): Promise<number> {
  const parsed = parseOptions(args, {
    email: { type: 'string' },
    username: { type: 'string' },
    password: { type: 'string' },
    'password-stdin': { type: 'boolean' },
    admin: { type: 'boolean' },
  });
  if (!parsed) return usage(io, CREATE_USER_USAGE);
  const { email, username } = parsed;
  const passwordStdin = parsed['password-stdin'] === true;
  if (typeof email !== 'string' || typeof username !== 'string' || (typeof parsed.password === 'string') === passwordStdin) {
    return usage(io, CREATE_USER_USAGE);
  }
  const password = passwordStdin ? (await io.readStdin()).replace(/\r?\n$/, '') : (parsed.password as string);
  return reportAppErrors(io, async () => {
    const user = await api.createUser({ email, username, password, isAdmin: parsed.admin === true });
    io.err(`Created ${user.isAdmin ? 'administrator' : 'user'} ${user.username} <${user.email}> (id ${user.id}).`);
  });
}

export async function createTokenCommand(api: AccountsCommandsApi, args: string[], io: CommandIo): Promise<number> {
  const parsed = parseOptions(args, {
    user: { type: 'string' },
    workspace: { type: 'string' },
    scopes: { type: 'string' },
    name: { type: 'string' },
    'expires-at': { type: 'string' },
  });
  if (!parsed) return usage(io, CREATE_TOKEN_USAGE);
  const { user: login, workspace, scopes } = parsed;
  if (typeof login !== 'string' || typeof workspace !== 'string' || typeof scopes !== 'string') return usage(io, CREATE_TOKEN_USAGE);
  const expiresText = parsed['expires-at'];
  const expiresAt = typeof expiresText === 'string' ? new Date(expiresText) : null;
  if (expiresAt && Number.isNaN(expiresAt.getTime())) {
    io.err(`--expires-at must be a date such as 2027-01-31T00:00:00Z, not "${expiresText}".`);
    return EX_USAGE;
  }
  return reportAppErrors(io, async () => {
    const user = await api.findUserByLogin(login);
    if (!user || user.isDeactivated) throw new AppError('ACCOUNTS_USER_NOT_FOUND', `No active user "${login}"`);
    const { token, secret } = await api.createApiToken({
      userId: user.id,
      workspaceRef: workspace,
      name: typeof parsed.name === 'string' ? parsed.name : 'cli',
      scopes: scopes.split(',').map((scope) => scope.trim()).filter(Boolean),
      expiresAt,
    });
    io.out(secret);
    io.err(`Created API token ${token.prefix}… (id ${token.id}) for ${user.username} in workspace ${token.workspaceId} with scopes ${token.scopes.join(', ')}.`);
    io.err('Store the secret now: it is not shown again.');
  });
}

type OptionSpec = Record<string, { type: 'string' | 'boolean' }>;

function parseOptions(args: string[], options: OptionSpec): Record<string, string | boolean | undefined> | null {
  try {
    return parseArgs({ args, options, strict: true, allowPositionals: false }).values as Record<string, string | boolean | undefined>;
  } catch {
    return null;
  }
}

function usage(io: CommandIo, text: string): number {
  io.err(text);
  return EX_USAGE;
}

/** A refused input (taken username, unknown workspace …) is a message and exit code 65, not a stack trace. */
async function reportAppErrors(io: CommandIo, run: () => Promise<void>): Promise<number> {
  try {
    await run();
    return 0;
  } catch (error) {
    if (!(error instanceof AppError)) throw error;
    const details = Array.isArray(error.details) ? error.details.map((d: { path?: string; message?: string }) => `\n  ${d.path}: ${d.message}`).join('') : '';
    io.err(`${error.message} (${error.code})${details}`);
    return EX_DATAERR;
  }
}
