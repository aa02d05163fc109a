import { AppError } from '@weft/kernel';
import { EngineErrors } from '../../engine.errors';
import type { HttpResponse } from '../../node-services';

type ResponseFormat = 'auto' | 'json' | 'text' | 'binary';

const JSON_TYPE = /^application\/(?:[\w.+-]+\+)?json$/;
const TEXT_TYPE = /^(?:text\/[\w.+-]+|application\/(?:[\w.+-]+\+)?xml|application\/(?:javascript|x-www-form-urlencoded|graphql))$/;
const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

function readContentType(headers: HttpResponse['headers']): string {
  const value = headers['content-type'];
  const first = Array.isArray(value) ? value[0] : value;
  return (first ?? '').split(';')[0]!.trim().toLowerCase();
}

/** Lower-case names, no undefined values: what a stored output can hold. */
export function copyHeaders(headers: HttpResponse['headers']): Record<string, string | string[]> {
  const copy: Record<string, string | string[]> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value !== undefined) copy[name.toLowerCase()] = Array.isArray(value) ? [...value] : value;
  }
  return copy;
}

function decodeUtf8(body: Buffer): string | undefined {
  try {
    return strictUtf8.decode(body);
  } catch {
    return undefined;
  }
}

/**
 * The body as the node outputs it: parsed JSON, text, or base64 for binary.
 * `auto` follows the content type, falls back to text for JSON that does not
 * parse, and to base64 for anything that is not valid UTF-8.
 */
export function parseResponseBody(response: HttpResponse, format: ResponseFormat, nodeId: string): unknown {
  const { body } = response;
  if (format === 'binary') return body.toString('base64');
  if (format === 'text') return body.toString('utf8');
  if (body.length === 0) return format === 'json' ? null : '';
  const type = readContentType(response.headers);
  if (format === 'json' || JSON_TYPE.test(type)) {
    const text = body.toString('utf8');
    try {
      return JSON.parse(text) as unknown;
    } catch (error) {
      if (format === 'auto') return text;
      throw new AppError(EngineErrors.ENGINE_HTTP_RESPONSE_INVALID, `The response to node ${nodeId} is not JSON: ${(error as Error).message}`, {
        nodeId,
        status: response.status,
      });
    }
  }
  if (TEXT_TYPE.test(type)) return body.toString('utf8');
  if (type === '') return decodeUtf8(body) ?? body.toString('base64');
  return body.toString('base64');
}

/**
 * RFC 9110 §10.2.3: delay-seconds or an HTTP-date. Returns milliseconds, or
 * undefined when the header is absent or unreadable.
 */
export function readRetryAfter(headers: HttpResponse['headers'], now = Date.now()): number | undefined {
  const raw = headers['retry-after'];
  const value = (Array.isArray(raw) ? raw[0] : raw)?.trim();
  if (value === undefined || value === '') return undefined;
  if (/^\d+$/.test(value)) return Number(value) * 1000;
  const date = Date.parse(value);
  return Number.isFinite(date) ? Math.max(0, date - now) : undefined;
}

/** Where a request went, without the query string: an API key may sit there. */
export function describeTarget(url: string): string {
  try {
    const parsed = new URL(url);
    return `${parsed.origin}${parsed.pathname}`;
  } catch {
    return 'the URL';
  }
}
