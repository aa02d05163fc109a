import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CONFIG_VARIABLES, ConfigError, loadConfig } from './config';

describe('loadConfig', () => {
  it('has working defaults for an empty environment', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({ port: 3000, host: '127.0.0.1', dataDir: './data', databaseUrl: undefined });
    expect(config.publicUrl).toBe('http://127.0.0.1:3000');
  });

  it('names every bad variable in one error', () => {
    let error: unknown;
    try {
      loadConfig({ PORT: 'eighty', DATABASE_URL: 'mysql://x', LOG_LEVEL: 'loud' });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const variables = (error as ConfigError).problems.map((p) => p.variable).sort();
    expect(variables).toEqual(['DATABASE_URL', 'LOG_LEVEL', 'PORT']);
    expect((error as ConfigError).message).toContain('PORT:');
  });

  it('reads the proxy and hosted-webhook settings, and names them when they are malformed', () => {
    const config = loadConfig({ WEFT_TRUST_PROXY: '10.0.0.0/8,127.0.0.1', WEFT_GEO_HEADER: 'CF-IPCountry', WEFT_WEBHOOK_DOMAIN: 'Hooks.Example.com' });
    expect(config.http).toMatchObject({ trustProxy: ['10.0.0.0/8', '127.0.0.1'], geoHeader: 'cf-ipcountry', webhookDomain: 'hooks.example.com' });
    expect(loadConfig({ WEFT_TRUST_PROXY: '2' }).http.trustProxy).toBe(2);
    // A location header means nothing without a proxy that sets it.
    expect(loadConfig({ WEFT_GEO_HEADER: 'cf-ipcountry' }).http.geoHeader).toBeUndefined();
    let error: unknown;
    try {
      loadConfig({ WEFT_TRUST_PROXY: 'sometimes', WEFT_GEO_HEADER: 'bad header', WEFT_WEBHOOK_DOMAIN: 'not a domain' });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).problems.map((p) => p.variable).sort()).toEqual(['WEFT_GEO_HEADER', 'WEFT_TRUST_PROXY', 'WEFT_WEBHOOK_DOMAIN']);
  });

  it('compiles the embedded database for a small footprint unless told to optimise', () => {
    expect(loadConfig({}).db.embeddedCompiler).toBe('baseline');
    expect(loadConfig({ WEFT_EMBEDDED_DB_COMPILER: 'optimizing' }).db.embeddedCompiler).toBe('optimizing');
    expect(() => loadConfig({ WEFT_EMBEDDED_DB_COMPILER: 'turbo' })).toThrow(/WEFT_EMBEDDED_DB_COMPILER/);
  });

  it('keeps post images in the data dir unless a whole S3-compatible store is configured', () => {
    expect(loadConfig({}).media.s3).toBeNull();
    const store = { WEFT_MEDIA_S3_ENDPOINT: 'https://s3.eu-west-1.amazonaws.com', WEFT_MEDIA_S3_BUCKET: 'weft-media', WEFT_MEDIA_S3_ACCESS_KEY_ID: 'AKID', WEFT_MEDIA_S3_SECRET_ACCESS_KEY: 'secret' };
    expect(loadConfig({ ...store, WEFT_MEDIA_S3_REGION: 'eu-west-1' }).media.s3).toEqual({
      endpoint: 'https://s3.eu-west-1.amazonaws.com',
      bucket: 'weft-media',
      region: 'eu-west-1',
      accessKeyId: 'AKID',
      secretAccessKey: 'secret',
    });
    let error: unknown;
    try {
      loadConfig({ WEFT_MEDIA_S3_ENDPOINT: store.WEFT_MEDIA_S3_ENDPOINT, WEFT_MEDIA_S3_BUCKET: 'weft-media' });
    } catch (e) {
      error = e;
    }
    expect((error as ConfigError).problems.map((p) => p.variable)).toEqual(['WEFT_MEDIA_S3_ACCESS_KEY_ID', 'WEFT_MEDIA_S3_SECRET_ACCESS_KEY']);
    expect(() => loadConfig({ ...store, WEFT_MEDIA_S3_ENDPOINT: 'ftp://files.example.com' })).toThrow(/WEFT_MEDIA_S3_ENDPOINT/);
    expect(() => loadConfig({ ...store, WEFT_MEDIA_S3_BUCKET: 'Not_A_Bucket' })).toThrow(/WEFT_MEDIA_S3_BUCKET/);
  });

  it('treats empty strings as unset', () => {
    expect(loadConfig({ PORT: '', DATABASE_URL: '' }).port).toBe(3000);
  });

  it('documents every variable in the README configuration table', () => {
    const readme = readFileSync(resolve(import.meta.dirname, '../../../README.md'), 'utf8');
    const missing = CONFIG_VARIABLES.filter((v) => !readme.includes(`| \`${v.name}\` |`)).map((v) => v.name);
    expect(missing).toEqual([]);
  });
});
