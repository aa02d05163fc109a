import type { KeyObject } from 'node:crypto';
import type { Database } from '@weft/db';
import { isUuid, type Logger } from '@weft/kernel';
import { BOT_CHANGES_CHANNEL, findBotRowById, listCommandRows, type BotCommandRow } from './bots.repository';
import { importDiscordPublicKey } from './interaction-signature';

/** What the interactions endpoint needs about a bot, held in memory between changes. */
export interface CachedBot {
  id: string;
  workspaceId: string;
  applicationId: string;
  publicKey: KeyObject;
  isRunning: boolean;
  /** `${scope}|${kind}|${name}` → command. */
  commands: Map<string, BotCommandRow>;
  /** Component handlers, longest prefix first. */
  components: BotCommandRow[];
}

export function commandKey(scope: string, kind: string, name: string): string {
  return `${scope}|${kind}|${name}`;
}

/** Unknown ids are remembered briefly too, so a flood of made-up ids does not become a flood of queries. */
const UNKNOWN_TTL_MS = 10_000;
const MAX_ENTRIES = 10_000;

/**
 * The hot path's view of bots: public key (imported once) and command map,
 * loaded on first use and dropped when the bot or its commands change — in
 * this process right after commit, in others through NOTIFY.
 */
export function createBotDirectory(deps: { database: Database; logger: Logger }) {
  const entries = new Map<string, { bot: CachedBot | null; loadedAt: number; generation: number }>();
  let generation = 0;
  let unlisten: (() => Promise<void>) | null = null;

  async function load(botId: string): Promise<CachedBot | null> {
    const row = await findBotRowById(deps.database.db, botId);
    if (!row) return null;
    const commands = await listCommandRows(deps.database.db, botId);
    return {
      id: row.id,
      workspaceId: row.workspaceId,
      applicationId: row.applicationId,
      publicKey: importDiscordPublicKey(row.publicKey),
      isRunning: row.desiredState === 'running',
      commands: new Map(commands.filter((c) => c.kind !== 'component').map((c) => [commandKey(c.scope, c.kind, c.name), c])),
      components: commands.filter((c) => c.kind === 'component').sort((a, b) => b.name.length - a.name.length),
    };
  }

  return {
    async findBot(botId: string): Promise<CachedBot | null> {
      if (!isUuid(botId)) return null;
      const cached = entries.get(botId);
      if (cached && (cached.bot || Date.now() - cached.loadedAt < UNKNOWN_TTL_MS)) return cached.bot;
      const startedAt = generation;
      const bot = await load(botId);
      // A change committed while loading makes this result stale: use it once, do not keep it.
      if (startedAt === generation) {
        if (entries.size >= MAX_ENTRIES) entries.delete(entries.keys().next().value!);
        entries.set(botId, { bot, loadedAt: Date.now(), generation });
      }
      return bot;
    },
    invalidate(botId: string): void {
      generation += 1;
      entries.delete(botId);
    },
    async start(): Promise<void> {
      unlisten ??= await deps.database.listen(BOT_CHANGES_CHANNEL, (botId) => {
        generation += 1;
        entries.delete(botId);
      });
    },
    async stop(): Promise<void> {
      await unlisten?.();
      unlisten = null;
    },
  };
}

export type BotDirectory = ReturnType<typeof createBotDirectory>;
