import { ApplicationCommandType, InteractionResponseType, InteractionType, MessageFlags, PermissionFlagsBits } from 'discord-api-types/v10';
import type { Clock, Logger } from '@weft/kernel';
import type { RunWorkflowNow, RunWorkflowNowResult } from './bots.dependencies';
import type { BotCommandRow } from './bots.repository';
import { commandKey, type CachedBot } from './bot-directory';
import type { Cooldowns } from './cooldowns';
import type { DiscordClient } from './discord-client';
import { toInteractionInput, type RawInteraction } from './interaction-input';
import { FAILURE_TEXT, readAutocompleteChoices, readFlowAnswer, replyDeferred, replyEphemeral, replyWithMessage, toFollowUpEdit, type FlowAnswer } from './interaction-reply';
import type { RuntimeLog } from './runtime-log';
import type { UsageCounter } from './usage-counter';

export interface AnswerInteractionDeps {
  clock: Clock;
  logger: Logger;
  runWorkflowNow: RunWorkflowNow;
  discord: DiscordClient;
  cooldowns: Cooldowns;
  usage: UsageCounter;
  runtimeLog: RuntimeLog;
  /** Discord waits 3 s for the callback; past this the reply is deferred (type 5). Default 2500 ms. */
  deferAfterMs?: number;
}

const KINDS_BY_COMMAND_TYPE: Record<number, BotCommandRow['kind']> = {
  [ApplicationCommandType.ChatInput]: 'slash',
  [ApplicationCommandType.User]: 'user',
  [ApplicationCommandType.Message]: 'message',
};

/** Guild commands carry `data.guild_id`; others are global (Interactions › Application Command Interaction Data). */
function findCommand(bot: CachedBot, data: Record<string, unknown>): BotCommandRow | undefined {
  const kind = KINDS_BY_COMMAND_TYPE[data.type as number] ?? 'slash';
  const scope = typeof data.guild_id === 'string' ? data.guild_id : 'global';
  return bot.commands.get(commandKey(scope, kind, String(data.name)));
}

function findComponentHandler(bot: CachedBot, customId: unknown): BotCommandRow | undefined {
  return typeof customId === 'string' ? bot.components.find((handler) => customId.startsWith(handler.name)) : undefined;
}

/** Topics › Permissions: ADMINISTRATOR implies every permission. */
function hasPermissions(memberPermissions: unknown, required: string | null): boolean {
  if (!required || required === '0') return true;
  if (typeof memberPermissions !== 'string' || !/^\d+$/.test(memberPermissions)) return false;
  const held = BigInt(memberPermissions);
  const needed = BigInt(required);
  return (held & PermissionFlagsBits.Administrator) !== 0n || (held & needed) === needed;
}

/**
 * Routes a verified interaction to its flow and produces the callback body.
 * Work that outlives the callback (completing a deferred reply) is returned
 * as `background` so the host can wait for it on shutdown.
 */
export function createInteractionAnswerer(deps: AnswerInteractionDeps) {
  const deferAfterMs = deps.deferAfterMs ?? 2500;

  async function runWithDeadline(bot: CachedBot, workflowId: string, input: unknown): Promise<{ early: { response: unknown } | { result: RunWorkflowNowResult } | null; run: Promise<RunWorkflowNowResult> }> {
    let onResponse!: (response: unknown) => void;
    const responded = new Promise<{ response: unknown }>((resolve) => (onResponse = (response) => resolve({ response })));
    const run = deps.runWorkflowNow({ workspaceId: bot.workspaceId, workflowId, triggerKind: 'discord', input, onResponse });
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<null>((resolve) => (timer = setTimeout(() => resolve(null), deferAfterMs)));
    const settled = run.then(
      (result) => ({ result }),
      (error: unknown) => ({ result: failedResult(error) }),
    );
    const early = await Promise.race([responded, settled, deadline]);
    clearTimeout(timer);
    return { early, run: settled.then((s) => s.result) };
  }

  function failedResult(error: unknown): RunWorkflowNowResult {
    const code = (error as { code?: unknown }).code;
    return { runId: '', status: 'failed', response: undefined, error: { code: typeof code === 'string' ? code : 'RUN_FAILED', message: String((error as Error).message ?? error) } };
  }

  function noteOutcome(bot: CachedBot, command: BotCommandRow, result: RunWorkflowNowResult): void {
    if (result.status === 'succeeded' || result.status === 'waiting') return;
    deps.usage.count(bot.id, command.id, 'failure', deps.clock.now());
    deps.runtimeLog.record(bot.id, 'error', `Flow of ${command.kind} "${command.name}" ended ${result.status}`, {
      commandId: command.id,
      runId: result.runId,
      code: result.error?.code ?? null,
      nodeId: result.error?.nodeId ?? null,
      message: result.error?.message?.slice(0, 300) ?? null,
    });
  }

  function answerOf(result: RunWorkflowNowResult, response: unknown, command: BotCommandRow): FlowAnswer {
    if (result.status !== 'succeeded' && result.status !== 'waiting' && response === undefined) {
      return { kind: 'message', message: { content: FAILURE_TEXT, flags: MessageFlags.Ephemeral, allowed_mentions: { parse: [] } }, isUpdate: false };
    }
    return readFlowAnswer(response, command.isEphemeral);
  }

  async function answerWithFlow(bot: CachedBot, command: BotCommandRow, interaction: RawInteraction): Promise<{ body: Record<string, unknown>; background?: Promise<void> }> {
    const userId = String(interaction.member?.user?.id ?? interaction.user?.id ?? '');
    if (!hasPermissions(interaction.member?.permissions, command.requiredPermissions)) {
      deps.usage.count(bot.id, command.id, 'refusal', deps.clock.now());
      return { body: replyEphemeral('You do not have the permissions this command needs.') };
    }
    const waitSeconds = deps.cooldowns.take(`${bot.id}|${command.id}|${userId}`, command.cooldownSeconds, deps.clock.now().getTime());
    if (waitSeconds > 0) {
      deps.usage.count(bot.id, command.id, 'refusal', deps.clock.now());
      return { body: replyEphemeral(`This command is on cooldown; try again in ${waitSeconds} s.`) };
    }
    deps.usage.count(bot.id, command.id, 'invocation', deps.clock.now());
    const { early, run } = await runWithDeadline(bot, command.workflowId, { ...toInteractionInput(interaction), botId: bot.id });
    if (early && 'response' in early) {
      void run.then((result) => noteOutcome(bot, command, result));
      return { body: toCallback(readFlowAnswer(early.response, command.isEphemeral), command) };
    }
    if (early) {
      noteOutcome(bot, command, early.result);
      return { body: toCallback(answerOf(early.result, early.result.response, command), command) };
    }
    // Too slow for the 3-second window: acknowledge now, complete with PATCH …/messages/@original.
    const background = completeDeferred(bot, command, interaction, run);
    return { body: replyDeferred(command.isEphemeral), background };
  }

  function toCallback(answer: FlowAnswer, command: BotCommandRow): Record<string, unknown> {
    if (answer.kind === 'modal') return { type: InteractionResponseType.Modal, data: answer.modal };
    if (answer.kind === 'none') return replyEphemeral('Done.');
    return replyWithMessage(answer.message, answer.isUpdate && command.kind === 'component');
  }

  async function completeDeferred(bot: CachedBot, command: BotCommandRow, interaction: RawInteraction, run: Promise<RunWorkflowNowResult>): Promise<void> {
    const result = await run;
    noteOutcome(bot, command, result);
    const edit = toFollowUpEdit(answerOf(result, result.response, command));
    try {
      await deps.discord.editOriginalResponse(bot.applicationId, String(interaction.token), edit);
    } catch (error) {
      deps.runtimeLog.record(bot.id, 'warn', `Could not complete the deferred reply of "${command.name}"`, { commandId: command.id, error: String((error as Error).message ?? error).slice(0, 300) });
    }
  }

  async function answerAutocomplete(bot: CachedBot, command: BotCommandRow, interaction: RawInteraction): Promise<Record<string, unknown>> {
    const { early, run } = await runWithDeadline(bot, command.autocompleteWorkflowId ?? command.workflowId, { ...toInteractionInput(interaction), botId: bot.id });
    void run.then((result) => noteOutcome(bot, command, result));
    // Autocomplete cannot be deferred: past the deadline the user gets no suggestions rather than an error.
    const response = early && 'response' in early ? early.response : early?.result.response;
    return { type: InteractionResponseType.ApplicationCommandAutocompleteResult, data: { choices: readAutocompleteChoices(response) } };
  }

  return {
    /** `interaction` is the parsed body of a request whose signature was verified with `bot`'s key. */
    async answer(bot: CachedBot, interaction: RawInteraction): Promise<{ body: Record<string, unknown>; background?: Promise<void> }> {
      const type = interaction.type as number;
      if (type === InteractionType.Ping) return { body: { type: InteractionResponseType.Pong } };
      if (!bot.isRunning) {
        if (type === InteractionType.ApplicationCommandAutocomplete) return { body: { type: InteractionResponseType.ApplicationCommandAutocompleteResult, data: { choices: [] } } };
        return { body: replyEphemeral('This bot is stopped right now.') };
      }
      const data = (interaction.data ?? {}) as Record<string, unknown>;
      if (type === InteractionType.ApplicationCommand || type === InteractionType.ApplicationCommandAutocomplete) {
        const command = findCommand(bot, data);
        if (!command) return type === InteractionType.ApplicationCommand ? { body: replyEphemeral('This command is not available any more.') } : { body: { type: 8, data: { choices: [] } } };
        return type === InteractionType.ApplicationCommand ? answerWithFlow(bot, command, interaction) : { body: await answerAutocomplete(bot, command, interaction) };
      }
      if (type === InteractionType.MessageComponent || type === InteractionType.ModalSubmit) {
        const handler = findComponentHandler(bot, data.custom_id);
        if (!handler) return { body: replyEphemeral('This button or form is not handled any more.') };
        return answerWithFlow(bot, handler, interaction);
      }
      return { body: replyEphemeral('This kind of interaction is not supported.') };
    },
  };
}

export type InteractionAnswerer = ReturnType<typeof createInteractionAnswerer>;
