import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger } from './logger';

describe('logger', () => {
  it('redacts secrets wherever the usual field names appear', async () => {
    const stream = new PassThrough();
    const lines: string[] = [];
    stream.on('data', (chunk: Buffer) => lines.push(chunk.toString()));
    const logger = createLogger({ level: 'info', format: 'json', destination: stream });
    logger.info({ password: 'hunter2', body: { token: 'tok_abc', name: 'ok' }, req: { headers: { authorization: 'Bearer xyz' } } }, 'x');
    logger.info({ store: { bucket: 'weft-media', secretAccessKey: 's3-secret-key' }, media: { s3: { secretAccessKey: 's3-secret-key' } } }, 'y');
    await new Promise((r) => setImmediate(r));
    const out = lines.join('');
    expect(out).not.toMatch(/hunter2|tok_abc|Bearer xyz|s3-secret-key/);
    expect(out).toContain('"name":"ok"');
    expect(out).toContain('[redacted]');
  });
});
