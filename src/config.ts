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
  JOBS: bool.default(true),
  SMTP_URL: z.string().regex(/^smtps?:\/\//, 'must start with smtp:// or smtps://').optional(),
  MAIL_FROM: z.string().min(3).default('Nazaha <no-reply@localhost>'),
});

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
  jobs: boolean;
  smtpUrl: string | undefined;
  mailFrom: string;
};

export class ConfigError extends Error {}

/** Parses the environment; throws ConfigError with one line naming the first wrong variable. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const input = Object.fromEntries(Object.entries(env).filter(([k, v]) => k in schema.shape && v !== undefined && v !== ''));
  const parsed = schema.safeParse(input);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const name = String(issue.path[0] ?? 'environment');
    // Values that may carry credentials are never echoed.
    const shown = ['SECRET_KEY', 'SMTP_URL', 'DATABASE_URL'].includes(name) ? 'a value that is not shown' : JSON.stringify(env[name] ?? '');
    throw new ConfigError(`Invalid configuration: ${name} ${issue.message} (got ${shown}).`);
  }
  const e = parsed.data;
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
    jobs: e.JOBS,
    smtpUrl: e.SMTP_URL,
    mailFrom: e.MAIL_FROM,
  };
}

/** The address users reach the portal at: PUBLIC_URL, or the local listening address. */
export function portalUrl(config: Pick<Config, 'publicUrl' | 'host' | 'port'>): string {
  if (config.publicUrl) return config.publicUrl;
  const host = ['0.0.0.0', '::', ''].includes(config.host) ? '127.0.0.1' : config.host;
  return `http://${host.includes(':') ? `[${host}]` : host}:${config.port}`;
}
