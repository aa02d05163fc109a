/**
 * The one way the dashboard talks to the API: same-origin fetch with the
 * session cookie, JSON in and out, the CSRF token on every write, and every
 * failure turned into an ApiError carrying the API's `{ error: { code, message,
 * details, requestId } }`.
 */

import type { ErrorEnvelope, ValidationIssue } from '@weft/contracts';

export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly details: unknown;
  readonly requestId: string | null;

  constructor(status: number, body: ErrorEnvelope['error']) {
    super(body.message);
    this.name = 'ApiError';
    this.status = status;
    this.code = body.code;
    this.details = body.details;
    this.requestId = body.requestId ?? null;
  }

  /** VALIDATION_FAILED details as `{ field: message }` (first message per field). */
  fieldErrors(): Record<string, string> {
    const errors: Record<string, string> = {};
    if (!Array.isArray(this.details)) return errors;
    // Typed as the API writes them, but read defensively: a proxy may have answered instead.
    for (const item of this.details as Partial<ValidationIssue>[]) {
      if (typeof item?.path === 'string' && typeof item.message === 'string' && !(item.path in errors)) errors[item.path] = item.message;
    }
    return errors;
  }
}

export const NETWORK_ERROR_CODE = 'NETWORK_UNAVAILABLE';
const CSRF_COOKIE = 'weft_csrf';
const WRITE_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

let csrfToken: string | null = null;
let csrfRequest: Promise<string> | null = null;
let onUnauthenticated: (() => void) | null = null;

/** The app registers what happens when the session is gone (a redirect to /login). */
export function setUnauthenticatedHandler(handler: () => void): void {
  onUnauthenticated = handler;
}

let isSignedOutOnPurpose = false;

/** Sign-in and sign-up replies carry the token; sign-out forgets it. */
export function rememberCsrfToken(token: string | null): void {
  csrfToken = token;
  if (token) isSignedOutOnPurpose = false;
}

/** After a sign-out or an account deletion, late 401s are expected: they must not send anyone to /login?next=…. */
export function markSignedOut(): void {
  csrfToken = null;
  isSignedOutOnPurpose = true;
}

export function wasSignedOutOnPurpose(): boolean {
  return isSignedOutOnPurpose;
}

function readCsrfCookie(): string | null {
  const match = document.cookie.split('; ').find((part) => part.startsWith(`${CSRF_COOKIE}=`));
  return match ? decodeURIComponent(match.slice(CSRF_COOKIE.length + 1)) : null;
}

/**
 * The token of this session: from the sign-in reply, else the weft_csrf
 * cookie. Without either nobody is signed in (public writes need none);
 * GET /api/v1/auth/csrf is asked only when the server refused a token.
 */
async function obtainCsrfToken(isRefresh: boolean): Promise<string | null> {
  if (!isRefresh) {
    csrfToken ??= readCsrfCookie();
    return csrfToken;
  }
  csrfRequest ??= apiRequest<{ csrfToken: string }>('GET', '/api/v1/auth/csrf')
    .then((reply) => {
      csrfToken = reply.csrfToken;
      return reply.csrfToken;
    })
    .finally(() => {
      csrfRequest = null;
    });
  return csrfRequest;
}

export interface RequestOptions {
  body?: unknown;
  query?: Record<string, string | number | boolean | null | undefined>;
  signal?: AbortSignal;
  /** A 401 is an answer here (e.g. "am I signed in?"), not a reason to leave the page. */
  isAuthOptional?: boolean;
  headers?: Record<string, string>;
  /** A file sent as the whole body (upload routes), with its own content type, instead of JSON. */
  file?: Blob;
}

function buildUrl(path: string, query: RequestOptions['query']): string {
  if (!query) return path;
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value !== undefined && value !== null && value !== '') params.set(key, String(value));
  }
  const search = params.toString();
  return search ? `${path}?${search}` : path;
}

async function readError(response: Response): Promise<ApiError> {
  try {
    const body = (await response.json()) as Partial<ErrorEnvelope>;
    if (body.error && typeof body.error.code === 'string') return new ApiError(response.status, body.error);
  } catch {
    // Not JSON: a proxy or the network answered instead of the API.
  }
  return new ApiError(response.status, { code: `HTTP_${response.status}`, message: `The server answered ${response.status} ${response.statusText}`.trim() });
}

async function sendRequest(method: string, path: string, options: RequestOptions, isCsrfRetry: boolean): Promise<Response> {
  const headers: Record<string, string> = { accept: 'application/json', ...options.headers };
  if (options.file) headers['content-type'] = options.file.type || 'application/octet-stream';
  else if (options.body !== undefined) headers['content-type'] = 'application/json';
  if (WRITE_METHODS.has(method)) {
    const token = await obtainCsrfToken(isCsrfRetry).catch(() => null);
    if (token) headers['x-csrf-token'] = token;
  }
  try {
    return await fetch(buildUrl(path, options.query), {
      method,
      headers,
      credentials: 'same-origin',
      body: options.file ?? (options.body === undefined ? undefined : JSON.stringify(options.body)),
      signal: options.signal,
    });
  } catch (error) {
    if (error instanceof DOMException && error.name === 'AbortError') throw error;
    throw new ApiError(0, { code: NETWORK_ERROR_CODE, message: 'The server cannot be reached. Check your connection and try again.' });
  }
}

export async function apiRequest<T>(method: string, path: string, options: RequestOptions = {}): Promise<T> {
  let response = await sendRequest(method, path, options, false);
  if (response.status === 403 && WRITE_METHODS.has(method)) {
    const error = await readError(response.clone());
    // The session changed under us (signed in elsewhere, token rotated): fetch a fresh token once.
    if (error.code === 'CSRF_TOKEN_INVALID') response = await sendRequest(method, path, options, true);
  }
  if (response.status === 204) return null as T;
  if (!response.ok) {
    const error = await readError(response);
    if (error.status === 401 && error.code === 'UNAUTHENTICATED' && !options.isAuthOptional && !isSignedOutOnPurpose) {
      csrfToken = null;
      onUnauthenticated?.();
    }
    throw error;
  }
  const text = await response.text();
  return (text ? JSON.parse(text) : null) as T;
}

export const api = {
  get: <T>(path: string, options?: RequestOptions) => apiRequest<T>('GET', path, options),
  post: <T>(path: string, body?: unknown, options?: RequestOptions) => apiRequest<T>('POST', path, { ...options, body }),
  put: <T>(path: string, body?: unknown, options?: RequestOptions) => apiRequest<T>('PUT', path, { ...options, body }),
  patch: <T>(path: string, body?: unknown, options?: RequestOptions) => apiRequest<T>('PATCH', path, { ...options, body }),
  delete: <T>(path: string, body?: unknown, options?: RequestOptions) => apiRequest<T>('DELETE', path, { ...options, body }),
  upload: <T>(path: string, file: Blob, options?: RequestOptions) => apiRequest<T>('POST', path, { ...options, file }),
};

/** A message a person can act on, for toasts and form errors. */
export function describeError(error: unknown): string {
  if (error instanceof ApiError) return error.message;
  if (error instanceof Error) return error.message;
  return 'Something went wrong.';
}
