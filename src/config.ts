// Configuration is read once from the environment and validated; every variable is documented in
// docs/configuration.md. Defaults make the embedded mode (one process, SQLite under DATA_DIR) work.
import path from 'node:path';
import { z } from 'zod';

const bool = z.enum(['true', 'false', '1', '0', 'yes', 'no'], { error: 'must be true or false' }).transform((v) => v === 'true' || v === '1' || v === 'yes');

// TRUST_PROXY: "false" (default), "true", a hop count, or a comma-separated list of addresses/CIDRs.
const trustProxy = z.string().transform((v, ctx) => {
  const s = v.trim();
  if (s === '' || s === 'false' || s === '0') return false as const;
  if (s === 'true') return true as const;
  if (/^\d+$/.test(s)) return Number(s);
  const parts = s.split(',').map((p) => p.trim()).filter(Boolean);
  if (parts.every((p) => /^[0-9a-fA-F:.]+(\/\d{1,3})?$/.test(p) || ['loopback', 'linklocal', 'uniquelocal'].includes(p))) return parts;
  ctx.addIssue({ code: 'custom', message: 'must be true, false, a number of hops or a comma-separated list of addresses' });
  return z.NEVER;
});

const int = (min: number, max: number) =>
  z.coerce.number({ error: `must be a whole number from ${min} to ${max}` }).int({ error: `must be a whole number from ${min} to ${max}` })
    .min(min, { error: `must be a whole number from ${min} to ${max}` }).max(max, { error: `must be a whole number from ${min} to ${max}` });

const oneOf = <const T extends readonly [string, ...string[]]>(values: T) =>
  z.enum(values, { error: `must be one of ${values.join(', ')}` });

const schema = z.object({
  NODE_ENV: oneOf(['development', 'production', 'test']).default('development'),
  HOST: z.string().min(1).default('127.0.0.1'),
  PORT: int(0, 65535).default(3000),
  DATA_DIR: z.string().min(1).default('./data'),
  DATABASE_URL: z
    .string()
    .regex(/^(postgres|postgresql|sqlite):/, 'must start with postgres://, postgresql:// or sqlite:')
    .optional(),
  PUBLIC_URL: z.url({ protocol: /^https?$/, message: 'must be an absolute http(s) URL' }).optional(),
  TRUST_PROXY: trustProxy.default(false),
  HTTPS_REDIRECT: bool.default(false),
  SECRET_KEY: z.string().regex(/^[0-9a-f]{64}$/, 'must be 64 hexadecimal characters (32 bytes)').optional(),
  LOG_LEVEL: oneOf(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  DEFAULT_LOCALE: oneOf(['ar', 'fr', 'en', 'zgh']).default('fr'),
  BODY_LIMIT: int(1024, 100 * 1024 * 1024).default(1024 * 1024),
  RATE_LIMIT_MAX: int(1, 1_000_000).default(300),
  RATE_LIMIT_WINDOW_SECONDS: int(1, 86400).default(60),
  SUBMISSIONS_PER_HOUR: int(1, 10_000).default(10),
  JOBS: bool.default(true),
  SMTP_URL: z.string().regex(/^smtps?:\/\//, 'must start with smtp:// or smtps://').optional(),
  MAIL_FROM: z.string().min(3).default('Nazaha <no-reply@localhost>'),
  STORAGE: oneOf(['disk', 's3']).default('disk'),
  S3_ENDPOINT: z.url({ protocol: /^https?$/, message: 'must be an absolute http(s) URL' }).optional(),
  S3_REGION: z.string().min(1).default('us-east-1'),
  S3_BUCKET: z.string().regex(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, 'must be a bucket name (3 to 63 lowercase letters, digits, dots and hyphens)').optional(),
  S3_ACCESS_KEY_ID: z.string().min(1).optional(),
  S3_SECRET_ACCESS_KEY: z.string().min(1).optional(),
  S3_FORCE_PATH_STYLE: bool.default(false),
  ATTACHMENT_MAX_BYTES: int(1024, 2 ** 40).default(20 * 1024 * 1024),
  REPORT_ATTACHMENTS_MAX_BYTES: int(1024, 2 ** 42).default(100 * 1024 * 1024),
  ATTACHMENT_PDF_MAX_BYTES: int(1024, 1024 * 1024 * 1024).default(20 * 1024 * 1024),
});

// Needed only with STORAGE=s3; S3_ENDPOINT stays optional (unset means Amazon S3 itself).
const s3Required = ['S3_BUCKET', 'S3_ACCESS_KEY_ID', 'S3_SECRET_ACCESS_KEY'] as const;
// Values that may carry credentials are never echoed.
const secretVariables = ['SECRET_KEY', 'SMTP_URL', 'DATABASE_URL', 'S3_ENDPOINT', 'S3_ACCESS_KEY_ID', 'S3_SECRET_ACCESS_KEY'];

export type StorageConfig =
  | { kind: 'disk'; dir: string }
  | { kind: 's3'; endpoint: string | undefined; region: string; bucket: string; accessKeyId: string; secretAccessKey: string; forcePathStyle: boolean };

export type Config = {
  env: 'development' | 'production' | 'test';
  host: string;
  port: number;
  dataDir: string;
  databaseUrl: string;
  publicUrl: string | undefined;
  trustProxy: boolean | number | string[];
  httpsRedirect: boolean;
  secretKey: string | undefined;
  logLevel: string;
  defaultLocale: 'ar' | 'fr' | 'en' | 'zgh';
  bodyLimit: number;
  rateLimit: { max: number; windowSeconds: number };
  /** Reports one connection may send per hour without proof of work (three times as many with it). */
  submissionsPerHour: number;
  jobs: boolean;
  smtpUrl: string | undefined;
  mailFrom: string;
  storage: StorageConfig;
  attachments: { maxBytes: number; reportMaxBytes: number; pdfMaxBytes: number };
};

export class ConfigError extends Error {}

/** Parses the environment; throws ConfigError with one line naming the first wrong variable. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const input = Object.fromEntries(Object.entries(env).filter(([k, v]) => k in schema.shape && v !== undefined && v !== ''));
  const parsed = schema.safeParse(input);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const name = String(issue.path[0] ?? 'environment');
    const shown = secretVariables.includes(name) ? 'a value that is not shown' : JSON.stringify(env[name] ?? '');
    throw new ConfigError(`Invalid configuration: ${name} ${issue.message} (got ${shown}).`);
  }
  const e = parsed.data;
  if (e.STORAGE === 's3') {
    const missing = s3Required.find((name) => e[name] === undefined);
    if (missing) throw new ConfigError(`Invalid configuration: ${missing} is required when STORAGE=s3.`);
  }
  const dataDir = path.resolve(e.DATA_DIR);
  return {
    env: e.NODE_ENV,
    host: e.HOST,
    port: e.PORT,
    dataDir,
    databaseUrl: e.DATABASE_URL ?? `sqlite:${path.join(dataDir, 'nazaha.sqlite')}`,
    publicUrl: e.PUBLIC_URL?.replace(/\/$/, ''),
    trustProxy: e.TRUST_PROXY,
    httpsRedirect: e.HTTPS_REDIRECT,
    secretKey: e.SECRET_KEY,
    logLevel: e.LOG_LEVEL,
    defaultLocale: e.DEFAULT_LOCALE,
    bodyLimit: e.BODY_LIMIT,
    rateLimit: { max: e.RATE_LIMIT_MAX, windowSeconds: e.RATE_LIMIT_WINDOW_SECONDS },
    submissionsPerHour: e.SUBMISSIONS_PER_HOUR,
    jobs: e.JOBS,
    smtpUrl: e.SMTP_URL,
    mailFrom: e.MAIL_FROM,
    storage: e.STORAGE === 's3'
      ? { kind: 's3', endpoint: e.S3_ENDPOINT, region: e.S3_REGION, bucket: e.S3_BUCKET!, accessKeyId: e.S3_ACCESS_KEY_ID!, secretAccessKey: e.S3_SECRET_ACCESS_KEY!, forcePathStyle: e.S3_FORCE_PATH_STYLE }
      : { kind: 'disk', dir: path.join(dataDir, 'attachments') },
    attachments: { maxBytes: e.ATTACHMENT_MAX_BYTES, reportMaxBytes: e.REPORT_ATTACHMENTS_MAX_BYTES, pdfMaxBytes: e.ATTACHMENT_PDF_MAX_BYTES },
  };
}

/** The address users reach the portal at: PUBLIC_URL, or the local listening address. */
export function portalUrl(config: Pick<Config, 'publicUrl' | 'host' | 'port'>): string {
  if (config.publicUrl) return config.publicUrl;
  const host = ['0.0.0.0', '::', ''].includes(config.host) ? '127.0.0.1' : config.host;
  return `http://${host.includes(':') ? `[${host}]` : host}:${config.port}`;
}
