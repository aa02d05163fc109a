import { existsSync, mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createManualClock, newId, systemClock } from '@weft/kernel';
import { startS3Standin, type S3Standin } from '@weft/testing';
import { createLocalMediaStore, type MediaStore } from './media-store';
import { createS3MediaStore } from './s3-media-store';

/**
 * The two media stores keep the same promises: what is put comes back byte
 * for byte, a missing image is null, a delete is final and may be repeated.
 * The S3 one is checked against the stand-in, which verifies every request's
 * AWS Signature Version 4 as S3 does.
 */
let s3: S3Standin;
beforeAll(async () => {
  s3 = await startS3Standin({ buckets: ['weft-media'] });
});
afterAll(async () => {
  await s3?.close();
});

function s3Store(overrides: Partial<Parameters<typeof createS3MediaStore>[0]> = {}): MediaStore {
  return createS3MediaStore({ endpoint: s3.url, bucket: 'weft-media', region: s3.region, accessKeyId: s3.accessKeyId, secretAccessKey: s3.secretAccessKey, clock: systemClock, ...overrides });
}

const stores: [string, () => MediaStore][] = [
  ['a folder', () => createLocalMediaStore(join(mkdtempSync(join(tmpdir(), 'weft-store-')), 'media'))],
  ['an S3-compatible store', () => s3Store()],
];

describe.each(stores)('images in %s', (_name, makeStore) => {
  it('gives back what was put, byte for byte; a missing image is null; delete is final and repeatable', async () => {
    const store = makeStore();
    const id = newId();
    const bytes = Buffer.from(Array.from({ length: 3000 }, (_, index) => index % 256));
    await store.put(id, bytes);
    expect((await store.get(id))!.equals(bytes)).toBe(true);
    expect(await store.get(newId())).toBeNull();
    await store.delete(id);
    expect(await store.get(id)).toBeNull();
    await store.delete(id);
  });

  it('refuses a key that is not a media id', async () => {
    await expect(makeStore().put('../escape', Buffer.from('x'))).rejects.toThrow(/Not a media id/);
  });
});

describe('the S3-compatible store', () => {
  it('keeps images under the media/ prefix of the bucket', async () => {
    const id = newId();
    await s3Store().put(id, Buffer.from('png bytes'));
    expect(s3.buckets.get('weft-media')!.get(`media/${id}`)!.bytes.toString()).toBe('png bytes');
  });

  it('fails with the store’s own error when its signature is refused or its clock is off, and stores nothing', async () => {
    const before = s3.buckets.get('weft-media')!.size;
    await expect(s3Store({ secretAccessKey: 'wrong' }).put(newId(), Buffer.from('x'))).rejects.toThrow('The media store refused to store an image: SignatureDoesNotMatch');
    const lateClock = createManualClock(new Date(Date.now() - 20 * 60_000));
    await expect(s3Store({ clock: lateClock }).put(newId(), Buffer.from('x'))).rejects.toThrow(/RequestTimeTooSkewed/);
    await expect(s3Store({ accessKeyId: 'nobody' }).get(newId())).rejects.toThrow(/InvalidAccessKeyId/);
    await expect(s3Store({ bucket: 'missing' }).put(newId(), Buffer.from('x'))).rejects.toThrow(/NoSuchBucket/);
    expect(s3.buckets.get('weft-media')!.size).toBe(before);
    expect(s3.refusals).toEqual(expect.arrayContaining(['SignatureDoesNotMatch', 'RequestTimeTooSkewed', 'InvalidAccessKeyId']));
  });

  it('fails an upload when the store does not answer in time', async () => {
    const silent = await import('node:net').then(({ createServer }) => {
      const server = createServer(() => undefined);
      return new Promise<{ url: string; close(): void }>((resolve) =>
        server.listen(0, '127.0.0.1', () => resolve({ url: `http://127.0.0.1:${(server.address() as { port: number }).port}`, close: () => server.close() })),
      );
    });
    try {
      await expect(s3Store({ endpoint: silent.url, timeoutMs: 200 }).put(newId(), Buffer.from('x'))).rejects.toThrow(/timeout|aborted/i);
    } finally {
      silent.close();
    }
  });
});

describe('the folder store', () => {
  it('leaves no partial file behind a finished write', async () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'weft-store-')), 'media');
    const store = createLocalMediaStore(dir);
    const id = newId();
    await store.put(id, Buffer.from('x'));
    expect(existsSync(join(dir, id))).toBe(true);
    expect(readdirSync(dir)).toEqual([id]);
  });
});
