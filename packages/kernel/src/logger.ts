import pino, { type Logger } from 'pino';

export type { Logger };

/**
 * Paths pino blanks out wherever they occur. Secrets must never reach a log
 * line: request headers that carry them, and the usual field names.
 */
export const REDACTED_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["x-csrf-token"]',
  'res.headers["set-cookie"]',
  'password',
  'token',
  'secret',
  'apiKey',
  '*.password',
  '*.newPassword',
  '*.currentPassword',
  '*.token',
  '*.secret',
  '*.apiKey',
  '*.accessToken',
  '*.refreshToken',
  '*.clientSecret',
  '*.botToken',
  '*.databaseUrl',
  'secretAccessKey',
  '*.secretAccessKey',
  '*.*.secretAccessKey',
];

export interface LoggerOptions {
  level: string;
  format: 'json' | 'pretty';
  /** Where lines go; defaults to stdout. Tests pass a stream to read them. */
  destination?: NodeJS.WritableStream;
}

export function createLogger(options: LoggerOptions): Logger {
  const base = { level: options.level, redact: { paths: REDACTED_PATHS, censor: '[redacted]' } };
  if (options.format === 'pretty' && !options.destination) {
    return pino({ ...base, transport: { target: 'pino-pretty', options: { translateTime: 'SYS:HH:MM:ss.l' } } });
  }
  return pino(base, (options.destination ?? process.stdout) as pino.DestinationStream);
}
