import http, { type IncomingMessage, type OutgoingHttpHeaders } from 'node:http';
import https from 'node:https';
import type { LookupFunction } from 'node:net';
import { AppError } from '@weft/kernel';
import { EgressErrors } from './egress.errors';
import { hostnameOf, type ResolvedAddress } from './resolve-target';

export interface HopRequest {
  url: URL;
  addresses: ResolvedAddress[];
  method: string;
  headers: OutgoingHttpHeaders;
  body: Buffer | undefined;
  signal: AbortSignal;
}

/**
 * The DNS answer for this connection is the one the policy already checked:
 * Node calls `lookup` instead of resolving the name again, while the Host
 * header and TLS SNI/certificate check still use the hostname.
 */
function createPinnedLookup(addresses: ResolvedAddress[]): LookupFunction {
  return (hostname, options, callback) => {
    const usable = options.family === 4 || options.family === 6 ? addresses.filter((a) => a.family === options.family) : addresses;
    if (usable.length === 0) {
      const error: NodeJS.ErrnoException = new Error(`No checked address of family ${options.family} for ${hostname}`);
      error.code = 'ENOTFOUND';
      callback(error, '', 0);
      return;
    }
    // Node ≥ 20 asks for every address (happy eyeballs); older paths ask for one.
    if (options.all) (callback as unknown as (e: null, a: ResolvedAddress[]) => void)(null, usable);
    else callback(null, usable[0]!.address, usable[0]!.family);
  };
}

/** Sends one request (no redirects) and resolves when the response headers arrive. */
export function sendHop(hop: HopRequest): Promise<IncomingMessage> {
  const transport = hop.url.protocol === 'https:' ? https : http;
  const host = hostnameOf(hop.url);
  return new Promise((resolve, reject) => {
    let request: http.ClientRequest;
    try {
      request = transport.request({
        host,
        port: hop.url.port || undefined,
        path: `${hop.url.pathname}${hop.url.search}`,
        method: hop.method,
        headers: hop.headers,
        // A fresh connection per request, so every connection goes through the pinned lookup.
        agent: false,
        lookup: createPinnedLookup(hop.addresses),
        signal: hop.signal,
      });
    } catch (error) {
      // Node refuses header values with CR/LF and malformed methods before any I/O.
      reject(new AppError(EgressErrors.EGRESS_INVALID_REQUEST, (error as Error).message));
      return;
    }
    request.once('response', resolve);
    request.once('error', (error: NodeJS.ErrnoException) => {
      if (hop.signal.aborted) reject(hop.signal.reason);
      else reject(new AppError(EgressErrors.EGRESS_CONNECTION_FAILED, `Connection to ${host} failed`, { host, reason: error.code ?? error.message }));
    });
    request.end(hop.body);
  });
}

/** Reads the body, refusing it as soon as it passes `maxBytes` (declared or actual). */
export function readBody(response: IncomingMessage, maxBytes: number, signal: AbortSignal, host: string): Promise<Buffer> {
  const tooLarge = () =>
    new AppError(EgressErrors.EGRESS_RESPONSE_TOO_LARGE, `The response of ${host} is larger than ${maxBytes} bytes`, { host, maxBytes });
  const declared = Number(response.headers['content-length']);
  if (Number.isFinite(declared) && declared > maxBytes) {
    response.destroy();
    return Promise.reject(tooLarge());
  }
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    response.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > maxBytes) {
        response.destroy();
        reject(tooLarge());
        return;
      }
      chunks.push(chunk);
    });
    let ended = false;
    response.once('end', () => {
      ended = true;
      resolve(Buffer.concat(chunks));
    });
    const fail = (error?: NodeJS.ErrnoException) => {
      if (signal.aborted) reject(signal.reason);
      else reject(new AppError(EgressErrors.EGRESS_CONNECTION_FAILED, `Reading the response of ${host} failed`, { host, reason: error?.code ?? 'closed early' }));
    };
    response.once('error', fail);
    // A connection that closes before the body ended has no 'error' on every Node version.
    response.once('close', () => {
      if (!ended) fail();
    });
  });
}
