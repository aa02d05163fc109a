import {
  ApplicationCommandType,
  ApplicationIntegrationType,
  InteractionContextType,
  type APIApplicationCommand,
  type RESTPostAPIApplicationCommandsJSONBody,
} from 'discord-api-types/v10';

/** Global commands when `guildId` is undefined, else that guild's commands. */
export type CommandScope = { applicationId: string; guildId?: string };

/**
 * Application commands per application and scope (Interactions › Application
 * Commands). Ids survive a bulk overwrite when a command of the same name and
 * type already exists, as on Discord; `version` changes with every edit.
 */
export class CommandStore {
  private readonly scopes = new Map<string, Map<string, APIApplicationCommand>>();
  private readonly overwrites = new Map<string, number>();

  constructor(private readonly newSnowflake: () => string) {}

  list(scope: CommandScope): APIApplicationCommand[] {
    return [...this.commandsOf(scope).values()].map((command) => structuredClone(command));
  }

  find(scope: CommandScope, commandId: string): APIApplicationCommand | undefined {
    return this.commandsOf(scope).get(commandId);
  }

  /** Create Command: a command with the same name and type is overwritten (200), else created (201). */
  upsert(scope: CommandScope, body: RESTPostAPIApplicationCommandsJSONBody): { command: APIApplicationCommand; isNew: boolean } {
    const commands = this.commandsOf(scope);
    const existing = findSameCommand(commands, body);
    const command = this.toCommand(scope, body, existing?.id);
    commands.set(command.id, command);
    return { command: structuredClone(command), isNew: !existing };
  }

  edit(scope: CommandScope, commandId: string, patch: Partial<RESTPostAPIApplicationCommandsJSONBody>): APIApplicationCommand | undefined {
    const existing = this.find(scope, commandId);
    if (!existing) return undefined;
    const command = this.toCommand(scope, { ...existing, ...patch } as RESTPostAPIApplicationCommandsJSONBody, commandId);
    this.commandsOf(scope).set(commandId, command);
    return structuredClone(command);
  }

  delete(scope: CommandScope, commandId: string): boolean {
    return this.commandsOf(scope).delete(commandId);
  }

  /** Bulk Overwrite: the scope holds exactly these commands afterwards. */
  overwrite(scope: CommandScope, bodies: RESTPostAPIApplicationCommandsJSONBody[]): APIApplicationCommand[] {
    const previous = this.commandsOf(scope);
    const next = new Map<string, APIApplicationCommand>();
    for (const body of bodies) {
      const command = this.toCommand(scope, body, findSameCommand(previous, body)?.id);
      next.set(command.id, command);
    }
    this.scopes.set(scopeKey(scope), next);
    this.overwrites.set(scopeKey(scope), this.countOverwrites(scope) + 1);
    return this.list(scope);
  }

  /** How many bulk overwrites this scope received: lets a test prove a client skips unchanged registrations. */
  countOverwrites(scope: CommandScope): number {
    return this.overwrites.get(scopeKey(scope)) ?? 0;
  }

  private commandsOf(scope: CommandScope): Map<string, APIApplicationCommand> {
    const key = scopeKey(scope);
    if (!this.scopes.has(key)) this.scopes.set(key, new Map());
    return this.scopes.get(key)!;
  }

  private toCommand(scope: CommandScope, body: RESTPostAPIApplicationCommandsJSONBody, id?: string): APIApplicationCommand {
    const type = body.type ?? ApplicationCommandType.ChatInput;
    const command = {
      id: id ?? this.newSnowflake(),
      application_id: scope.applicationId,
      version: this.newSnowflake(),
      type,
      name: body.name,
      name_localizations: body.name_localizations ?? null,
      description: 'description' in body && body.description !== undefined ? body.description : '',
      description_localizations: ('description_localizations' in body ? body.description_localizations : null) ?? null,
      default_member_permissions: body.default_member_permissions ?? null,
      nsfw: body.nsfw ?? false,
      // Global commands default to every context and the guild install (Application Commands › Contexts).
      integration_types: body.integration_types ?? [ApplicationIntegrationType.GuildInstall],
      contexts: body.contexts ?? (scope.guildId ? null : [InteractionContextType.Guild, InteractionContextType.BotDM, InteractionContextType.PrivateChannel]),
      ...('options' in body && body.options ? { options: structuredClone(body.options) } : {}),
      ...(scope.guildId ? { guild_id: scope.guildId } : {}),
    };
    return command as APIApplicationCommand;
  }
}

function scopeKey(scope: CommandScope): string {
  return `${scope.applicationId}|${scope.guildId ?? 'global'}`;
}

function findSameCommand(commands: Map<string, APIApplicationCommand>, body: RESTPostAPIApplicationCommandsJSONBody) {
  const type = body.type ?? ApplicationCommandType.ChatInput;
  return [...commands.values()].find((command) => command.name === body.name && command.type === type);
}
