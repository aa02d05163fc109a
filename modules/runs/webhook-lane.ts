import type { IncomingMessage, ServerResponse } from 'node:http';
import { writeReply, type FastLane, type FastLaneRequest } from '@weft/http';
import { AppError, CoreErrors } from '@weft/kernel';
import type { WebhookReply } from './run-webhook';
import { HOOK_METHODS, type WebhookRequests } from './webhook-requests';

/**
 * `/hooks/` on real sockets, straight from node:http (see @weft/http's
 * fast-lanes.ts): reads the body within the limit, hands the request to
 * `WebhookRequests` as the Fastify routes do, and writes the reply in one go.
 */
export function createWebhookLane(requests: WebhookRequests, bodyLimitBytes: number): FastLane {
  return {
    prefix: '/hooks/',
    methods: HOOK_METHODS,
    async handle({ raw, url, ip, requestId }: FastLaneRequest, response: ServerResponse): Promise<void> {
      const rawBody = await readRequestBody(raw, bodyLimitBytes);
      if (rawBody instanceof AppError) {
        // The rest of the body is not read: the connection cannot be reused.
        writeWebhookReply(response, { status: 413, error: { code: rawBody.code, message: rawBody.message } }, requestId, { connection: 'close' });
        return;
      }
      const result = await requests.answer({ method: raw.method ?? 'GET', url, headers: raw.headers, ip, rawBody });
      writeWebhookReply(response, result, requestId);
    },
  };
}

/** The body's bytes; undefined without a body; PAYLOAD_TOO_LARGE above the limit (as Fastify's bodyLimit answers). */
export function readRequestBody(request: IncomingMessage, limit: number): Promise<Buffer | undefined | AppError> {
  const declared = request.headers['content-length'];
  const tooLarge = () => new AppError(CoreErrors.PAYLOAD_TOO_LARGE, 'Request body is too large');
  if (request.headers['transfer-encoding'] === undefined && (declared === undefined || declared === '0')) return Promise.resolve(undefined);
  if (declared !== undefined && Number(declared) > limit) return Promise.resolve(tooLarge());
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer): void => {
      size += chunk.length;
      if (size > limit) {
        request.off('data', onData);
        request.off('end', onEnd);
        resolve(tooLarge());
        return;
      }
      chunks.push(chunk);
    };
    const onEnd = (): void => resolve(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks));
    request.on('data', onData);
    request.on('end', onEnd);
    request.on('error', reject);
    // A client that hangs up mid-body: no run starts, and nothing waits for an 'end' that never comes.
    request.on('close', () => {
      if (!request.complete) reject(new AppError(CoreErrors.VALIDATION_FAILED, 'The request ended before its body did'));
    });
  });
}

/** A webhook reply in one write: the respond node's headers, the run id, and the body with its content type. */
function writeWebhookReply(response: ServerResponse, result: WebhookReply, requestId: string, extra: Record<string, string> = {}): void {
  const headers: Record<string, string | number> = {};
  // A respond node names headers in any case; HTTP header names are case-insensitive.
  if (result.headers) for (const name in result.headers) headers[name.toLowerCase()] = result.headers[name]!;
  Object.assign(headers, extra);
  if (result.runId !== undefined) headers['x-weft-run-id'] = result.runId;
  let payload: string | Buffer;
  if (result.error) {
    payload = JSON.stringify({ error: { ...result.error, requestId } });
    headers['content-type'] = 'application/json; charset=utf-8';
  } else if (result.body === undefined) {
    payload = '';
  } else if (typeof result.body === 'string') {
    payload = result.body;
    headers['content-type'] ??= 'text/plain; charset=utf-8';
  } else if (Buffer.isBuffer(result.body)) {
    payload = result.body;
    headers['content-type'] ??= 'application/octet-stream';
  } else {
    payload = JSON.stringify(result.body);
    headers['content-type'] ??= 'application/json; charset=utf-8';
  }
  writeReply(response, result.status, headers, payload, requestId);
}
