import { z } from 'zod';

/**
 * The whole configuration surface of Weft. This file is the only reader of
 * `process.env` (see apps/server/src/cli.ts, which passes it in): every other
 * piece of code receives a typed `Config`.
 */
const port = z.coerce.number().int().min(0).max(65535);
const logLevel = z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']);

export interface ConfigVariable {
  name: string;
  description: string;
  defaultValue: string;
}

/** Documentation of every variable; a test keeps README's table in step with it. */
export const CONFIG_VARIABLES: ConfigVariable[] = [
  { name: 'PORT', description: 'TCP port of the API and dashboard', defaultValue: '3000' },
  { name: 'HOST', description: 'Interface to listen on', defaultValue: '127.0.0.1' },
  { name: 'WEFT_DATA_DIR', description: 'Folder for the embedded database, generated secrets and uploads', defaultValue: './data' },
  { name: 'DATABASE_URL', description: 'PostgreSQL connection string; when unset Weft uses embedded PGlite in the data dir', defaultValue: '(unset)' },
  { name: 'WEFT_PUBLIC_URL', description: 'Public base URL used in links and webhook addresses', defaultValue: 'http://HOST:PORT' },
  { name: 'LOG_LEVEL', description: 'fatal, error, warn, info, debug, trace or silent', defaultValue: 'info' },
  { name: 'LOG_FORMAT', description: 'json (one object per line) or pretty', defaultValue: 'json' },
  { name: 'WEFT_BODY_LIMIT_BYTES', description: 'Largest accepted request body', defaultValue: '1048576' },
  { name: 'WEFT_RATE_LIMIT_PER_MINUTE', description: 'Requests per minute allowed from one IP address', defaultValue: '600' },
  { name: 'WEFT_WEBHOOK_RATE_LIMIT_PER_MINUTE', description: 'Webhook calls per minute allowed from one IP address (0 turns the limit off)', defaultValue: '6000' },
  { name: 'WEFT_WEBHOOK_DOMAIN', description: 'Domain for hosted webhook addresses: <workspace-slug>.DOMAIN/<path> is served as /hooks/<workspace-slug>/<path> (point a wildcard DNS record at Weft)', defaultValue: '(unset)' },
  { name: 'WEFT_TRUST_PROXY', description: 'Behind a reverse proxy: true, a hop count, or comma-separated proxy addresses/CIDRs whose X-Forwarded-For is believed (client IPs for rate limits and sessions)', defaultValue: 'false' },
  { name: 'WEFT_GEO_HEADER', description: 'Header in which the trusted proxy passes the client\'s approximate location (e.g. cf-ipcountry), shown in the session list; needs WEFT_TRUST_PROXY', defaultValue: '(unset)' },
  { name: 'WEFT_EMBEDDED_DB_COMPILER', description: 'How V8 compiles the embedded database (PGlite): baseline keeps memory low (about 60 MB less) and starts faster; optimizing runs embedded queries up to a quarter faster. No effect with DATABASE_URL', defaultValue: 'baseline' },
  { name: 'WEFT_DB_POOL_SIZE', description: 'PostgreSQL connections per process', defaultValue: '10' },
  { name: 'WEFT_WORKER_POLL_MS', description: 'How often an idle worker looks for due jobs and events', defaultValue: '1000' },
  { name: 'WEFT_EGRESS_ALLOW_PRIVATE_NETWORKS', description: 'Let workflows call loopback and private-network addresses (self-hosted intranets); cloud metadata addresses stay blocked', defaultValue: 'false' },
  { name: 'WEFT_EGRESS_ALLOWED_HOSTS', description: 'Comma-separated host names workflows may call even when they resolve to private addresses', defaultValue: '(none)' },
  { name: 'SMTP_URL', description: 'SMTP server for outgoing mail (smtp:// or smtps://); when unset mail goes to the data dir outbox and its links are logged', defaultValue: '(unset)' },
  { name: 'MAIL_FROM', description: 'Sender address of outgoing mail', defaultValue: 'Weft <no-reply@localhost>' },
  { name: 'DISCORD_CLIENT_ID', description: 'OAuth2 client id of the Discord application used for "Log in with Discord"', defaultValue: '(unset: Discord login off)' },
  { name: 'DISCORD_CLIENT_SECRET', description: 'OAuth2 client secret of that application', defaultValue: '(unset)' },
  { name: 'DISCORD_API_URL', description: 'Discord REST base URL (a local stand-in during development)', defaultValue: 'https://discord.com/api/v10' },
  { name: 'DISCORD_AUTHORIZE_URL', description: 'Discord OAuth2 authorization page', defaultValue: 'https://discord.com/oauth2/authorize' },
  { name: 'DISCORD_GATEWAY_URL', description: 'Discord gateway WebSocket URL', defaultValue: 'wss://gateway.discord.gg' },
  { name: 'WEFT_MEDIA_S3_ENDPOINT', description: 'S3-compatible object store for images uploaded to posts (path-style, e.g. https://s3.eu-west-1.amazonaws.com); when unset they are kept in WEFT_DATA_DIR/media', defaultValue: '(unset)' },
  { name: 'WEFT_MEDIA_S3_BUCKET', description: 'Bucket of that store (images go under media/)', defaultValue: '(unset)' },
  { name: 'WEFT_MEDIA_S3_REGION', description: 'Region the store signs requests for', defaultValue: 'us-east-1' },
  { name: 'WEFT_MEDIA_S3_ACCESS_KEY_ID', description: 'Access key id for the store', defaultValue: '(unset)' },
  { name: 'WEFT_MEDIA_S3_SECRET_ACCESS_KEY', description: 'Secret access key for the store (set the endpoint, bucket and both keys, or none)', defaultValue: '(unset)' },
];

const EnvSchema = z.object({
  PORT: port.default(3000),
  HOST: z.string().min(1).default('127.0.0.1'),
  WEFT_DATA_DIR: z.string().min(1).default('./data'),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'must start with postgres:// or postgresql://')
    .optional(),
  WEFT_PUBLIC_URL: z.url().optional(),
  LOG_LEVEL: logLevel.default('info'),
  LOG_FORMAT: z.enum(['json', 'pretty']).default('json'),
  WEFT_BODY_LIMIT_BYTES: z.coerce.number().int().min(1024).max(100 * 1024 * 1024).default(1024 * 1024),
  WEFT_RATE_LIMIT_PER_MINUTE: z.coerce.number().int().min(1).default(600),
  WEFT_WEBHOOK_RATE_LIMIT_PER_MINUTE: z.coerce.number().int().min(0).default(6000),
  WEFT_WEBHOOK_DOMAIN: z
    .string()
    .regex(/^([a-z0-9]([a-z0-9-]*[a-z0-9])?\.)+[a-z]{2,63}$/i, 'must be a domain name such as hooks.example.com')
    .optional(),
  WEFT_TRUST_PROXY: z
    .string()
    .regex(/^(true|false|\d{1,2}|[0-9a-fA-F.:/]+(,[0-9a-fA-F.:/]+)*)$/, 'must be true, false, a hop count or comma-separated addresses/CIDRs')
    .default('false'),
  WEFT_GEO_HEADER: z.string().regex(/^[A-Za-z0-9-]{1,64}$/, 'must be a header name').optional(),
  WEFT_EMBEDDED_DB_COMPILER: z.enum(['baseline', 'optimizing']).default('baseline'),
  WEFT_DB_POOL_SIZE: z.coerce.number().int().min(1).max(200).default(10),
  WEFT_WORKER_POLL_MS: z.coerce.number().int().min(10).max(60_000).default(1000),
  WEFT_EGRESS_ALLOW_PRIVATE_NETWORKS: z.enum(['true', 'false', '1', '0']).default('false'),
  WEFT_EGRESS_ALLOWED_HOSTS: z.string().default(''),
  SMTP_URL: z.string().regex(/^smtps?:\/\//, 'must start with smtp:// or smtps://').optional(),
  MAIL_FROM: z.string().min(3).default('Weft <no-reply@localhost>'),
  DISCORD_CLIENT_ID: z.string().regex(/^\d{5,25}$/, 'must be a Discord application id (digits)').optional(),
  DISCORD_CLIENT_SECRET: z.string().min(1).optional(),
  DISCORD_API_URL: z.url().default('https://discord.com/api/v10'),
  DISCORD_AUTHORIZE_URL: z.url().default('https://discord.com/oauth2/authorize'),
  DISCORD_GATEWAY_URL: z.string().regex(/^wss?:\/\//, 'must start with ws:// or wss://').default('wss://gateway.discord.gg'),
  WEFT_MEDIA_S3_ENDPOINT: z.url({ protocol: /^https?$/ }).optional(),
  WEFT_MEDIA_S3_BUCKET: z.string().regex(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, 'must be a bucket name (3-63 lower-case letters, digits, dots and hyphens)').optional(),
  WEFT_MEDIA_S3_REGION: z.string().regex(/^[a-z0-9-]{1,40}$/, 'must be a region name such as eu-west-1').default('us-east-1'),
  WEFT_MEDIA_S3_ACCESS_KEY_ID: z.string().min(1).max(128).optional(),
  WEFT_MEDIA_S3_SECRET_ACCESS_KEY: z.string().min(1).max(256).optional(),
});

const MEDIA_S3_VARIABLES = ['WEFT_MEDIA_S3_ENDPOINT', 'WEFT_MEDIA_S3_BUCKET', 'WEFT_MEDIA_S3_ACCESS_KEY_ID', 'WEFT_MEDIA_S3_SECRET_ACCESS_KEY'] as const;

export interface Config {
  port: number;
  host: string;
  dataDir: string;
  databaseUrl: string | undefined;
  publicUrl: string;
  log: { level: z.infer<typeof logLevel>; format: 'json' | 'pretty' };
  http: {
    bodyLimitBytes: number;
    rateLimitPerMinute: number;
    webhookRateLimitPerMinute: number;
    /** Fastify's trustProxy: false, true, a hop count or the proxies' addresses. */
    trustProxy: boolean | number | string[];
    geoHeader: string | undefined;
    /** `<slug>.<webhookDomain>/<path>` is served as `/hooks/<slug>/<path>`. */
    webhookDomain: string | undefined;
  };
  db: {
    poolSize: number;
    /** V8's compiler for the embedded database's WebAssembly (see WEFT_EMBEDDED_DB_COMPILER). */
    embeddedCompiler: 'baseline' | 'optimizing';
  };
  worker: { pollMs: number };
  mail: { smtpUrl: string | undefined; from: string };
  egress: { allowPrivateNetworks: boolean; allowedHosts: string[] };
  discord: {
    /** Both set, or Discord login is off. */
    oauth: { clientId: string; clientSecret: string } | null;
    apiUrl: string;
    authorizeUrl: string;
    gatewayUrl: string;
  };
  /** Where images uploaded to posts are kept: an S3-compatible store, or (null) the data dir. */
  media: { s3: { endpoint: string; bucket: string; region: string; accessKeyId: string; secretAccessKey: string } | null };
  /** Cookies get the Secure flag unless the public URL is plain http on localhost. */
  secureCookies: boolean;
}

export class ConfigError extends Error {
  constructor(readonly problems: { variable: string; message: string }[]) {
    super(
      'Invalid configuration:\n' +
        problems.map((p) => `  ${p.variable}: ${p.message}`).join('\n'),
    );
    this.name = 'ConfigError';
  }
}

/** Parses the environment once at boot. Empty strings count as unset. */
export function loadConfig(env: Record<string, string | undefined>): Config {
  const present = Object.fromEntries(
    Object.entries(env).filter(([, value]) => value !== undefined && value !== ''),
  );
  const parsed = EnvSchema.safeParse(present);
  if (!parsed.success) {
    throw new ConfigError(
      parsed.error.issues.map((issue) => ({
        variable: String(issue.path[0] ?? '(environment)'),
        message: issue.message,
      })),
    );
  }
  const e = parsed.data;
  const publicHost = e.HOST === '0.0.0.0' || e.HOST === '::' ? 'localhost' : e.HOST;
  if (Boolean(e.DISCORD_CLIENT_ID) !== Boolean(e.DISCORD_CLIENT_SECRET)) {
    throw new ConfigError([
      {
        variable: e.DISCORD_CLIENT_ID ? 'DISCORD_CLIENT_SECRET' : 'DISCORD_CLIENT_ID',
        message: 'set both DISCORD_CLIENT_ID and DISCORD_CLIENT_SECRET, or neither',
      },
    ]);
  }
  const missingS3 = MEDIA_S3_VARIABLES.filter((name) => !e[name]);
  if (missingS3.length > 0 && missingS3.length < MEDIA_S3_VARIABLES.length) {
    throw new ConfigError(missingS3.map((variable) => ({ variable, message: `set it too, or unset ${MEDIA_S3_VARIABLES.filter((name) => e[name]).join(', ')}` })));
  }
  const publicUrl = (e.WEFT_PUBLIC_URL ?? `http://${publicHost}:${e.PORT}`).replace(/\/$/, '');
  const publicUrlHost = new URL(publicUrl).hostname;
  return {
    port: e.PORT,
    host: e.HOST,
    dataDir: e.WEFT_DATA_DIR,
    databaseUrl: e.DATABASE_URL,
    publicUrl,
    log: { level: e.LOG_LEVEL, format: e.LOG_FORMAT },
    http: {
      bodyLimitBytes: e.WEFT_BODY_LIMIT_BYTES,
      rateLimitPerMinute: e.WEFT_RATE_LIMIT_PER_MINUTE,
      webhookRateLimitPerMinute: e.WEFT_WEBHOOK_RATE_LIMIT_PER_MINUTE,
      trustProxy: readTrustProxy(e.WEFT_TRUST_PROXY),
      webhookDomain: e.WEFT_WEBHOOK_DOMAIN?.toLowerCase(),
      // A location header is only as trustworthy as the proxy that sets it.
      geoHeader: e.WEFT_TRUST_PROXY === 'false' ? undefined : e.WEFT_GEO_HEADER?.toLowerCase(),
    },
    db: { poolSize: e.WEFT_DB_POOL_SIZE, embeddedCompiler: e.WEFT_EMBEDDED_DB_COMPILER },
    worker: { pollMs: e.WEFT_WORKER_POLL_MS },
    mail: { smtpUrl: e.SMTP_URL, from: e.MAIL_FROM },
    egress: {
      allowPrivateNetworks: e.WEFT_EGRESS_ALLOW_PRIVATE_NETWORKS === 'true' || e.WEFT_EGRESS_ALLOW_PRIVATE_NETWORKS === '1',
      allowedHosts: e.WEFT_EGRESS_ALLOWED_HOSTS.split(',').map((h) => h.trim().toLowerCase()).filter(Boolean),
    },
    discord: {
      oauth:
        e.DISCORD_CLIENT_ID && e.DISCORD_CLIENT_SECRET
          ? { clientId: e.DISCORD_CLIENT_ID, clientSecret: e.DISCORD_CLIENT_SECRET }
          : null,
      apiUrl: e.DISCORD_API_URL.replace(/\/$/, ''),
      authorizeUrl: e.DISCORD_AUTHORIZE_URL,
      gatewayUrl: e.DISCORD_GATEWAY_URL,
    },
    media: {
      s3:
        e.WEFT_MEDIA_S3_ENDPOINT && e.WEFT_MEDIA_S3_BUCKET && e.WEFT_MEDIA_S3_ACCESS_KEY_ID && e.WEFT_MEDIA_S3_SECRET_ACCESS_KEY
          ? {
              endpoint: e.WEFT_MEDIA_S3_ENDPOINT,
              bucket: e.WEFT_MEDIA_S3_BUCKET,
              region: e.WEFT_MEDIA_S3_REGION,
              accessKeyId: e.WEFT_MEDIA_S3_ACCESS_KEY_ID,
              secretAccessKey: e.WEFT_MEDIA_S3_SECRET_ACCESS_KEY,
            }
          : null,
    },
    secureCookies: !(publicUrl.startsWith('http://') && ['localhost', '127.0.0.1', '[::1]'].includes(publicUrlHost)),
  };
}

function readTrustProxy(value: string): boolean | number | string[] {
  if (value === 'true' || value === 'false') return value === 'true';
  if (/^\d+$/.test(value)) return Number(value);
  return value.split(',');
}
