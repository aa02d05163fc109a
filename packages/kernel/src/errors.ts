/**
 * The one error type of Weft. Services throw `AppError` with a stable code;
 * the HTTP layer maps the code to a status through the table that modules
 * extend with `registerErrorCodes`.
 */
export class AppError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = 'AppError';
  }
}

const statusByCode = new Map<string, number>();

/** Registers a module's codes. Re-registering a code with another status is a programming error. */
export function registerErrorCodes<const T extends Record<string, number>>(codes: T): { [K in keyof T]: K } {
  const names = {} as { [K in keyof T]: K };
  for (const [code, status] of Object.entries(codes)) {
    const existing = statusByCode.get(code);
    if (existing !== undefined && existing !== status) {
      throw new Error(`Error code ${code} is already registered with status ${existing}`);
    }
    statusByCode.set(code, status);
    (names as Record<string, string>)[code] = code;
  }
  return names;
}

export function httpStatusForCode(code: string): number {
  return statusByCode.get(code) ?? 500;
}

export const CoreErrors = registerErrorCodes({
  VALIDATION_FAILED: 400,
  MALFORMED_JSON: 400,
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  CSRF_TOKEN_INVALID: 403,
  NOT_FOUND: 404,
  ROUTE_NOT_FOUND: 404,
  METHOD_NOT_ALLOWED: 405,
  CONFLICT: 409,
  PAYLOAD_TOO_LARGE: 413,
  UNSUPPORTED_MEDIA_TYPE: 415,
  RATE_LIMITED: 429,
  INTERNAL: 500,
  SERVICE_UNAVAILABLE: 503,
});
