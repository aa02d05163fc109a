import { AppError } from '@weft/kernel';
import { EngineErrors } from './engine.errors';

/**
 * Outbound HTTP as nodes see it. The host wires it to its SSRF-guarded egress
 * client, so every node (and the code node's `fetch`) obeys the same egress
 * rules; `@weft/egress`'s client fits this shape as it is.
 */
export interface HttpRequest {
  readonly method: string;
  readonly url: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: Buffer | string | undefined;
  readonly timeoutMs: number;
  /** The service refuses a larger body rather than buffering it. */
  readonly maxResponseBytes: number;
  /** 0 returns a 3xx response as it is. */
  readonly maxRedirects: number;
  readonly signal?: AbortSignal;
}

export interface HttpResponse {
  readonly status: number;
  /** Lower-case names, as Node's `IncomingHttpHeaders`. */
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  readonly body: Buffer;
  /** The URL that answered, after redirects. */
  readonly url: string;
}

export interface HttpService {
  request(request: HttpRequest): Promise<HttpResponse>;
}

/** An SMTP server from a credential of type `smtp`; without it the host's own mailer sends. */
export interface SmtpSettings {
  readonly host: string;
  readonly port: number;
  /** TLS from the first byte (port 465); false means STARTTLS when offered. */
  readonly secure: boolean;
  readonly user?: string;
  readonly password?: string;
  readonly from: string;
}

export interface OutgoingMail {
  readonly to: readonly string[];
  readonly cc?: readonly string[];
  readonly bcc?: readonly string[];
  readonly replyTo?: string;
  readonly subject: string;
  readonly text: string;
  readonly html?: string;
  readonly smtp?: SmtpSettings;
  /** `${runId}:${nodeId}`: the same when a crashed step runs again, so the host can send once. */
  readonly idempotencyKey: string;
}

export interface MailService {
  send(mail: OutgoingMail): Promise<void>;
}

export interface CodeFetchRequest {
  readonly url: string;
  readonly method: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly body?: string;
}

/** What `fetch` resolves to inside the code node: deliberately small, no streams. */
export interface CodeFetchResponse {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly text: string;
}

export interface CodeLogEntry {
  readonly level: 'log' | 'info' | 'debug' | 'warn' | 'error';
  readonly message: string;
}

export interface RunCodeRequest {
  /** The body of `async (input, $nodes) => { … }`. */
  readonly code: string;
  readonly input: unknown;
  readonly nodes: Readonly<Record<string, unknown>>;
  /** Wall-clock limit; the sandbox's own limit applies when absent or larger. */
  readonly timeoutMs?: number;
  readonly signal?: AbortSignal;
  /** Present only when the host gave the node an HTTP service. */
  readonly fetch?: (request: CodeFetchRequest) => Promise<CodeFetchResponse>;
}

export interface RunCodeResult {
  /** The returned value as JSON (`undefined` becomes null). */
  readonly result: unknown;
  readonly logs: readonly CodeLogEntry[];
}

export interface CodeSandbox {
  runCode(request: RunCodeRequest): Promise<RunCodeResult>;
}

/**
 * Reads a service the host must provide for this node, failing the step with
 * a message that names it instead of a TypeError deep inside the node.
 */
export function requireService<T>(services: Readonly<Record<string, unknown>>, name: string, nodeType: string): T {
  const service = services[name];
  if (service === undefined || service === null) {
    throw new AppError(EngineErrors.ENGINE_SERVICE_UNAVAILABLE, `The ${nodeType} node needs services.${name}, which this host does not provide`, {
      service: name,
    });
  }
  return service as T;
}

export type DiscordMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/** One call to Discord's REST API (Reference › HTTP API), relative to the API base. */
export interface DiscordRequest {
  /** The Weft bot to act as; the host refuses a bot of another workspace. */
  readonly botId: string;
  readonly method: DiscordMethod;
  /** E.g. `/channels/123/messages`; the host allows only routes a workflow may use. */
  readonly route: `/${string}`;
  readonly body?: unknown;
  /** Sent as `X-Audit-Log-Reason` on moderation actions. */
  readonly reason?: string;
  /** False for interaction webhooks, which the interaction token authorizes (default true). */
  readonly useBotToken?: boolean;
  readonly signal?: AbortSignal;
}

/**
 * Discord actions as nodes see them. The host sends them with the bot's own
 * token (never shown to the node), queues per rate-limit bucket and honours
 * 429 `retry_after`, and stops a bot whose token Discord refuses (401).
 */
export interface DiscordActions {
  /** Resolves to Discord's JSON reply (undefined for 204). */
  request(request: DiscordRequest): Promise<unknown>;
}

export type BotVariableScope = 'global' | 'guild' | 'user' | 'channel';

/** Where a bot variable lives; `scopeId` is the guild, user or channel id (absent for global). */
export interface BotVariableAddress {
  readonly botId: string;
  readonly scope: BotVariableScope;
  readonly scopeId?: string;
  readonly key: string;
}

/** Persistent bot variables for flows; the host refuses bots of other workspaces. */
export interface BotDataService {
  /** The value, or null when the variable does not exist. */
  get(address: BotVariableAddress): Promise<unknown>;
  set(address: BotVariableAddress, value: unknown): Promise<unknown>;
  /** Atomic: concurrent increments never lose one; a missing variable starts at 0. */
  increment(address: BotVariableAddress, by: number): Promise<number>;
}
