import type { APIInteraction, InteractionType } from 'discord-api-types/v10';
import type { Clock } from '@weft/kernel';

/** The initial response must come within 3 s; the token then works for 15 min (Interactions › Receiving and Responding). */
export const INITIAL_RESPONSE_WINDOW_MS = 3_000;
export const INTERACTION_TOKEN_LIFETIME_MS = 15 * 60_000;

export interface StandinInteraction {
  id: string;
  token: string;
  application_id: string;
  type: InteractionType;
  guild_id?: string;
  channel_id?: string;
  user_id: string;
  /** For component interactions: the message the component sits on. */
  message_id?: string;
  payload: APIInteraction;
  sentAtMs: number;
  /** Set by the initial response (callback or the reply to the signed POST). */
  callbackType?: number;
  /** The message the interaction's `@original` refers to, once there is one. */
  originalMessageId?: string;
  followupMessageIds: string[];
}

export type InteractionResponseKind =
  | 'callback'
  | 'followup'
  | 'edit-original'
  | 'delete-original'
  | 'edit-followup'
  | 'delete-followup';

/** One thing the application did in answer to an interaction, in the order it happened. */
export interface InteractionResponse {
  kind: InteractionResponseKind;
  /** The callback type (Interactions › Interaction Response Object › Interaction Callback Type) for `callback`. */
  type?: number;
  /** The JSON the application sent. */
  body: unknown;
  /** The message created or changed, when there is one. */
  messageId?: string;
  at: Date;
}

type Waiter = { kind: InteractionResponseKind; resolve: (response: InteractionResponse) => void };

/** Interactions sent to applications and what the applications answered. */
export class InteractionStore {
  private readonly byId = new Map<string, StandinInteraction>();
  private readonly responsesById = new Map<string, InteractionResponse[]>();
  private readonly waiters = new Map<string, Waiter[]>();

  constructor(private readonly clock: Clock) {}

  register(interaction: StandinInteraction): void {
    this.byId.set(interaction.id, interaction);
    this.responsesById.set(interaction.id, []);
  }

  find(id: string): StandinInteraction | undefined {
    return this.byId.get(id);
  }

  findByToken(token: string): StandinInteraction | undefined {
    return [...this.byId.values()].find((interaction) => interaction.token === token);
  }

  isInitialWindowOpen(interaction: StandinInteraction): boolean {
    return this.clock.now().getTime() - interaction.sentAtMs <= INITIAL_RESPONSE_WINDOW_MS;
  }

  isTokenAlive(interaction: StandinInteraction): boolean {
    return this.clock.now().getTime() - interaction.sentAtMs <= INTERACTION_TOKEN_LIFETIME_MS;
  }

  record(interactionId: string, response: Omit<InteractionResponse, 'at'>): void {
    const recorded: InteractionResponse = { ...response, at: this.clock.now() };
    this.responsesById.get(interactionId)?.push(recorded);
    const waiting = this.waiters.get(interactionId) ?? [];
    this.waiters.set(interactionId, waiting.filter((waiter) => waiter.kind !== recorded.kind));
    for (const waiter of waiting) if (waiter.kind === recorded.kind) waiter.resolve(recorded);
  }

  responses(interactionId: string): InteractionResponse[] {
    return [...(this.responsesById.get(interactionId) ?? [])];
  }

  /** The first response of that kind (default: the initial callback), already recorded or still to come. */
  waitFor(interactionId: string, options: { timeoutMs?: number; kind?: InteractionResponseKind } = {}): Promise<InteractionResponse> {
    const kind = options.kind ?? 'callback';
    const existing = this.responses(interactionId).find((response) => response.kind === kind);
    if (existing) return Promise.resolve(existing);
    const timeoutMs = options.timeoutMs ?? 5_000;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiters.set(interactionId, (this.waiters.get(interactionId) ?? []).filter((waiter) => waiter !== entry));
        reject(new Error(`Discord stand-in: no ${kind} response to interaction ${interactionId} within ${timeoutMs} ms`));
      }, timeoutMs);
      const entry: Waiter = { kind, resolve: (response) => (clearTimeout(timer), resolve(response)) };
      this.waiters.set(interactionId, [...(this.waiters.get(interactionId) ?? []), entry]);
    });
  }
}
