import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config.js';

describe('loadConfig', () => {
  it('works with nothing set: embedded SQLite under ./data on loopback port 3000', () => {
    const c = loadConfig({});
    expect(c).toMatchObject({ host: '127.0.0.1', port: 3000, trustProxy: false, httpsRedirect: false, defaultLocale: 'fr' });
    expect(c.dataDir).toBe(path.resolve('data'));
    expect(c.databaseUrl).toBe(`sqlite:${path.resolve('data', 'nazaha.sqlite')}`);
  });

  it('places the SQLite file in DATA_DIR and keeps a PostgreSQL URL as given', () => {
    expect(loadConfig({ DATA_DIR: '/srv/nz' }).databaseUrl).toBe('sqlite:/srv/nz/nazaha.sqlite');
    expect(loadConfig({ DATABASE_URL: 'postgres://u@db:5432/nz' }).databaseUrl).toBe('postgres://u@db:5432/nz');
  });

  it.each([
    ['PORT', 'abc', 'PORT must be a whole number from 0 to 65535'],
    ['PORT', '70000', 'PORT must be a whole number from 0 to 65535'],
    ['DATABASE_URL', 'mysql://x', 'DATABASE_URL must start with postgres://'],
    ['TRUST_PROXY', 'some proxies', 'TRUST_PROXY must be true, false'],
    ['LOG_LEVEL', 'loud', 'LOG_LEVEL must be one of fatal, error'],
    ['HTTPS_REDIRECT', 'maybe', 'HTTPS_REDIRECT must be true or false'],
    ['SECRET_KEY', 'short', 'SECRET_KEY must be 64 hexadecimal characters'],
    ['PUBLIC_URL', 'ftp://x', 'PUBLIC_URL must be an absolute http(s) URL'],
  ])('a wrong %s=%s stops with one line naming it', (name, value, message) => {
    let error: unknown;
    try {
      loadConfig({ [name]: value });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as Error).message).toContain(message);
    if (!['DATABASE_URL', 'SECRET_KEY'].includes(name)) expect((error as Error).message).toContain(JSON.stringify(value));
    else expect((error as Error).message).not.toContain(value);
    expect((error as Error).message).not.toContain('\n');
  });

  it('never echoes a value that may hold a password', () => {
    expect(() => loadConfig({ SMTP_URL: 'ftp://user:hunter2@mail.example.org' })).toThrow(/SMTP_URL must start with smtp:\/\/ or smtps:\/\/ \(got a value that is not shown\)/);
  });

  it('reads TRUST_PROXY as a flag, a hop count or a list of addresses', () => {
    expect(loadConfig({ TRUST_PROXY: 'true' }).trustProxy).toBe(true);
    expect(loadConfig({ TRUST_PROXY: '2' }).trustProxy).toBe(2);
    expect(loadConfig({ TRUST_PROXY: '10.0.0.1, 192.168.0.0/16' }).trustProxy).toEqual(['10.0.0.1', '192.168.0.0/16']);
  });

  it('keeps attachments on disk under DATA_DIR unless STORAGE=s3', () => {
    const c = loadConfig({ DATA_DIR: '/srv/nz' });
    expect(c.storage).toEqual({ kind: 'disk', dir: '/srv/nz/attachments' });
    expect(c.attachments).toEqual({ maxBytes: 20 * 1024 * 1024, reportMaxBytes: 100 * 1024 * 1024, pdfMaxBytes: 20 * 1024 * 1024 });
  });

  it('reads the S3 settings, and names the first missing one in one line without echoing secrets', () => {
    const s3 = { STORAGE: 's3', S3_BUCKET: 'nazaha', S3_ACCESS_KEY_ID: 'AKIDEXAMPLE', S3_SECRET_ACCESS_KEY: 'hunter2-secret' };
    expect(loadConfig({ ...s3, S3_ENDPOINT: 'https://s3.example.org', S3_FORCE_PATH_STYLE: 'true' }).storage).toEqual({
      kind: 's3', endpoint: 'https://s3.example.org', region: 'us-east-1', bucket: 'nazaha', accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'hunter2-secret', forcePathStyle: true,
    });
    for (const name of ['S3_BUCKET', 'S3_ACCESS_KEY_ID', 'S3_SECRET_ACCESS_KEY'] as const) {
      const env: Record<string, string> = { ...s3 };
      delete env[name];
      let message = '';
      try {
        loadConfig(env);
      } catch (e) {
        expect(e).toBeInstanceOf(ConfigError);
        message = (e as Error).message;
      }
      expect(message).toBe(`Invalid configuration: ${name} is required when STORAGE=s3.`);
      expect(message).not.toContain('hunter2');
    }
    expect(() => loadConfig({ ...s3, S3_ENDPOINT: 'ftp://key:hunter2@s3' })).toThrow(/S3_ENDPOINT must be an absolute http\(s\) URL \(got a value that is not shown\)/);
    expect(() => loadConfig({ STORAGE: 'ftp' })).toThrow(/STORAGE must be one of disk, s3/);
  });

  it('ignores empty variables, as an unset one', () => {
    expect(loadConfig({ PORT: '', DATABASE_URL: '' }).port).toBe(3000);
  });
});
