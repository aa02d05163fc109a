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
