import type { IncomingHttpHeaders, OutgoingHttpHeaders } from 'node:http';
import { AppError } from '@weft/kernel';
import { EgressErrors } from './egress.errors';
import { hostnameOf, resolveTarget, resolveWithSystemDns, type AddressPolicy, type ResolveHost } from './resolve-target';
import { readBody, sendHop } from './send-request';

export interface EgressClientOptions {
  /** Instance setting for self-hosters: lifts the loopback/private/link-local checks (metadata stays blocked). */
  allowPrivateNetworks: boolean;
  /** Hostnames exempt from every address check, e.g. an internal API the operator trusts; `*.corp.example` matches subdomains. */
  allowedHosts?: string[];
  userAgent: string;
  /** Custom DNS (split-horizon setups, tests); defaults to the system resolver. Every answer is still checked. */
  resolve?: ResolveHost;
  defaults?: Partial<Pick<EgressRequest, 'timeoutMs' | 'maxResponseBytes' | 'maxRedirects'>>;
}

export interface EgressRequest {
  method?: string;
  url: string | URL;
  headers?: Record<string, string | string[]>;
  body?: Buffer | Uint8Array | string;
  /** Whole exchange, redirects included. Default 30 s. */
  timeoutMs?: number;
  /** Largest response body accepted. Default 10 MiB. */
  maxResponseBytes?: number;
  /** Redirects followed before EGRESS_TOO_MANY_REDIRECTS; 0 returns the 3xx response itself. Default 5. */
  maxRedirects?: number;
  signal?: AbortSignal;
}

export interface EgressResponse {
  status: number;
  headers: IncomingHttpHeaders;
  body: Buffer;
  /** The URL that answered, after redirects. */
  url: string;
}

export interface EgressClient {
  request(request: EgressRequest): Promise<EgressResponse>;
}

const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);
// Credentials meant for one origin must not follow a redirect to another (as fetch does).
const ORIGIN_BOUND_HEADERS = ['authorization', 'cookie', 'proxy-authorization'];
const BODY_HEADERS = ['content-type', 'content-length', 'content-encoding', 'transfer-encoding'];

/**
 * The one way Weft makes HTTP requests on a user's behalf (HTTP node, code
 * node fetch, OAuth token exchanges): every hop is resolved once, every
 * address is checked, and the connection goes to the checked address.
 */
export function createEgressClient(options: EgressClientOptions): EgressClient {
  const policy: AddressPolicy = {
    allowPrivateNetworks: options.allowPrivateNetworks,
    allowedHosts: (options.allowedHosts ?? []).map((host) => host.toLowerCase().replace(/\.$/, '')),
    resolve: options.resolve ?? resolveWithSystemDns,
  };
  const defaults = { timeoutMs: 30_000, maxResponseBytes: 10 * 1024 * 1024, maxRedirects: 5, ...options.defaults };

  return {
    async request(request) {
      const timeoutMs = request.timeoutMs ?? defaults.timeoutMs;
      const timeout = AbortSignal.timeout(timeoutMs);
      const signal = request.signal ? AbortSignal.any([request.signal, timeout]) : timeout;
      try {
        return await followRedirects(request, signal);
      } catch (error) {
        if (timeout.aborted && !request.signal?.aborted) {
          throw new AppError(EgressErrors.EGRESS_TIMEOUT, `No complete response within ${timeoutMs} ms`, { timeoutMs });
        }
        if (request.signal?.aborted) throw request.signal.reason;
        throw error;
      }
    },
  };

  async function followRedirects(request: EgressRequest, signal: AbortSignal): Promise<EgressResponse> {
    const maxRedirects = request.maxRedirects ?? defaults.maxRedirects;
    let url = parseTargetUrl(request.url);
    let method = (request.method ?? 'GET').toUpperCase();
    let body = request.body === undefined ? undefined : Buffer.from(request.body);
    let headers = buildHeaders(request.headers, options.userAgent);
    for (let redirects = 0; ; redirects += 1) {
      signal.throwIfAborted();
      const addresses = await resolveTarget(url, policy);
      signal.throwIfAborted();
      const response = await sendHop({ url, addresses, method, headers, body, signal });
      const location = response.headers.location;
      if (!REDIRECT_STATUSES.has(response.statusCode ?? 0) || !location || maxRedirects === 0) {
        const responseBody = await readBody(response, request.maxResponseBytes ?? defaults.maxResponseBytes, signal, hostnameOf(url));
        return { status: response.statusCode ?? 0, headers: response.headers, body: responseBody, url: url.href };
      }
      response.destroy(); // a redirect's body is never read
      if (redirects >= maxRedirects) {
        throw new AppError(EgressErrors.EGRESS_TOO_MANY_REDIRECTS, `More than ${maxRedirects} redirects`, { maxRedirects, host: hostnameOf(url) });
      }
      const next = parseTargetUrl(location, url);
      // RFC 9110 §15.4: 303 always becomes GET; 301/302 after POST do in every browser.
      if (response.statusCode === 303 ? method !== 'HEAD' : (response.statusCode === 301 || response.statusCode === 302) && method === 'POST') {
        method = 'GET';
        body = undefined;
        headers = withoutHeaders(headers, BODY_HEADERS);
      }
      if (next.origin !== url.origin) headers = withoutHeaders(headers, ORIGIN_BOUND_HEADERS);
      url = next;
    }
  }
}

function parseTargetUrl(input: string | URL, base?: URL): URL {
  let url: URL;
  try {
    url = new URL(input, base);
  } catch {
    throw new AppError(EgressErrors.EGRESS_INVALID_URL, base ? 'A redirect pointed to an invalid URL' : 'The URL is invalid');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new AppError(EgressErrors.EGRESS_PROTOCOL_NOT_ALLOWED, `Only http and https URLs are allowed, not ${url.protocol}`, {
      protocol: url.protocol.replace(/:$/, ''),
    });
  }
  if (url.username || url.password) {
    // Userinfo in URLs leaks into logs; the HTTP node's auth comes from a credential instead.
    throw new AppError(EgressErrors.EGRESS_INVALID_URL, 'URLs with a user name or password are not allowed');
  }
  return url;
}

function buildHeaders(input: EgressRequest['headers'], userAgent: string): OutgoingHttpHeaders {
  const headers: OutgoingHttpHeaders = {};
  for (const [name, value] of Object.entries(input ?? {})) {
    // Host follows the URL so the request cannot claim another virtual host than it connects to.
    if (name.toLowerCase() !== 'host') headers[name.toLowerCase()] = value;
  }
  headers['user-agent'] ??= userAgent;
  return headers;
}

function withoutHeaders(headers: OutgoingHttpHeaders, names: string[]): OutgoingHttpHeaders {
  return Object.fromEntries(Object.entries(headers).filter(([name]) => !names.includes(name)));
}
