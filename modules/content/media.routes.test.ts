import { existsSync, mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance, InjectOptions } from 'fastify';
import type { MediaItem, MediaPage } from '@weft/contracts';
import { createAuditModule, type AuditModule } from '@weft/audit';
import { createManualClock, newId } from '@weft/kernel';
import { breakableOnce, createTestDatabase, startRoutesApp, testCallerHeaders, type TestCaller, type TestDatabase } from '@weft/testing';
import { createContentModule, createLocalMediaStore, type ContentModule } from './index';

/**
 * Images for posts, uploaded as the request body, stored in a folder, served
 * at their address: the routes as apps/server wires them, on a real database
 * and a real folder. `x-test-user` / `x-test-admin` stand in for sign-in.
 */
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==', 'base64');
const GIF = Buffer.from('R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7', 'base64');

let database: TestDatabase;
let app: FastifyInstance;
let audit: AuditModule;
let content: ContentModule;
let mediaDir: string;
const clock = createManualClock(new Date('2026-06-01T00:00:00Z'));
const admin = { id: newId(), isAdmin: true };
const user = { id: newId(), isAdmin: false };
/** Makes the next audit entry fail: the change it belongs to must roll back with it. */
let breakAuditLog: () => void;

function call(caller: TestCaller | null, method: InjectOptions['method'], url: string, body?: { type: string; bytes: Buffer | string }, headers: Record<string, string> = {}) {
  const all: Record<string, string> = { ...headers, ...testCallerHeaders(caller) };
  if (body) all['content-type'] = body.type;
  return app.inject({ method, url, headers: all, payload: body?.bytes });
}

async function upload(filename: string, bytes: Buffer = PNG, type = 'image/png'): Promise<MediaItem> {
  const res = await call(admin, 'POST', `/api/v1/admin/media?filename=${encodeURIComponent(filename)}`, { type, bytes });
  expect(res.statusCode, res.body).toBe(201);
  return res.json<MediaItem>();
}

/** Files in the media folder, partial writes included. */
function storedFiles(): string[] {
  return existsSync(mediaDir) ? readdirSync(mediaDir) : [];
}

beforeAll(async () => {
  database = await createTestDatabase();
  mediaDir = join(mkdtempSync(join(tmpdir(), 'weft-media-')), 'media');
  audit = createAuditModule({ database, clock, ipHashKey: 'test-ip-key' });
  const auditLog = breakableOnce(audit.api.recordAudit, 'audit log unavailable');
  breakAuditLog = auditLog.breakNext;
  content = createContentModule({
    database,
    clock,
    recordAudit: auditLog.call,
    publicUrl: 'https://weft.test',
    instanceName: 'Weft',
    store: createLocalMediaStore(mediaDir),
  });
  app = await startRoutesApp(content.routes);
}, 60_000);

afterAll(async () => {
  await app?.close();
  await database?.close();
});

describe('uploading and serving images', () => {
  it('stores an upload and serves the same bytes at its address, to anyone, cached for good', async () => {
    const item = await upload('Screenshot 2026.PNG');
    expect(item).toMatchObject({ filename: 'screenshot-2026.png', contentType: 'image/png', sizeBytes: PNG.length, url: `/media/${item.id}/screenshot-2026.png` });
    const res = await call(null, 'GET', item.url);
    expect(res.statusCode).toBe(200);
    expect(res.rawPayload.equals(PNG)).toBe(true);
    expect(res.headers).toMatchObject({
      'content-type': 'image/png',
      'cache-control': 'public, max-age=31536000, immutable',
      'x-content-type-options': 'nosniff',
      'content-security-policy': "default-src 'none'; sandbox",
      'cross-origin-resource-policy': 'cross-origin',
    });
    const again = await call(null, 'GET', item.url, undefined, { 'if-none-match': String(res.headers.etag) });
    expect(again.statusCode).toBe(304);
    expect(again.rawPayload.length).toBe(0);
  });

  it('names and serves an image by what its bytes are, not by what the upload declared', async () => {
    const item = await upload('photo.jpg', GIF, 'image/jpeg');
    expect(item).toMatchObject({ filename: 'photo.gif', contentType: 'image/gif' });
    expect((await call(null, 'GET', item.url)).headers['content-type']).toBe('image/gif');
  });

  it('keeps a file name to letters, digits and hyphens, and a wrong name in the address is a 404', async () => {
    const item = await upload('../../etc/pass wd.png');
    expect(item.filename).toBe('pass-wd.png');
    expect((await call(null, 'GET', `/media/${item.id}/other.png`)).json().error.code).toBe('MEDIA_NOT_FOUND');
    expect((await call(null, 'GET', `/media/not-an-id/pass-wd.png`)).statusCode).toBe(404);
    expect(storedFiles().every((name) => /^[0-9a-f-]{36}$/.test(name))).toBe(true);
  });
});

describe('what is refused, and leaves nothing behind', () => {
  it('a file that is not an image, whatever its declared type', async () => {
    const before = storedFiles().length;
    const res = await call(admin, 'POST', '/api/v1/admin/media?filename=x.png', { type: 'image/png', bytes: '<html><script>alert(1)</script></html>' });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.code).toBe('MEDIA_NOT_AN_IMAGE');
    expect(storedFiles()).toHaveLength(before);
  });

  it('SVG and other content types (415), an empty file (400), a file over 5 MB (413)', async () => {
    const svg = await call(admin, 'POST', '/api/v1/admin/media?filename=x.svg', { type: 'image/svg+xml', bytes: '<svg onload="alert(1)"/>' });
    expect([svg.statusCode, svg.json().error.code]).toEqual([415, 'UNSUPPORTED_MEDIA_TYPE']);
    const json = await call(admin, 'POST', '/api/v1/admin/media?filename=x.png', { type: 'application/json', bytes: '{}' });
    expect([json.statusCode, json.json().error.code]).toEqual([415, 'UNSUPPORTED_MEDIA_TYPE']);
    const empty = await call(admin, 'POST', '/api/v1/admin/media?filename=x.png', { type: 'image/png', bytes: Buffer.alloc(0) });
    expect([empty.statusCode, empty.json().error.code]).toEqual([400, 'VALIDATION_FAILED']);
    const huge = Buffer.concat([PNG, Buffer.alloc(5 * 1024 * 1024)]);
    const tooLarge = await call(admin, 'POST', '/api/v1/admin/media?filename=x.png', { type: 'image/png', bytes: huge });
    expect([tooLarge.statusCode, tooLarge.json().error.code]).toEqual([413, 'PAYLOAD_TOO_LARGE']);
    const noName = await call(admin, 'POST', '/api/v1/admin/media', { type: 'image/png', bytes: PNG });
    expect(noName.json().error).toMatchObject({ code: 'VALIDATION_FAILED', details: [expect.objectContaining({ path: 'filename', in: 'query' })] });
  });

  it('an upload whose audit entry fails is rolled back, and its file removed', async () => {
    const before = storedFiles();
    const listed = (await call(admin, 'GET', '/api/v1/admin/media?limit=200')).json<MediaPage>().items.length;
    breakAuditLog();
    expect((await call(admin, 'POST', '/api/v1/admin/media?filename=lost.png', { type: 'image/png', bytes: PNG })).statusCode).toBe(500);
    expect(storedFiles()).toEqual(before);
    expect((await call(admin, 'GET', '/api/v1/admin/media?limit=200')).json<MediaPage>().items).toHaveLength(listed);
  });

  it('only instance administrators upload, list and delete', async () => {
    const item = await upload('mine.png');
    for (const [method, url, body] of [
      ['POST', '/api/v1/admin/media?filename=x.png', { type: 'image/png', bytes: PNG }],
      ['GET', '/api/v1/admin/media'],
      ['DELETE', `/api/v1/admin/media/${item.id}`],
    ] as const) {
      expect((await call(null, method, url, body)).statusCode, `${method} ${url}`).toBe(401);
      expect((await call(user, method, url, body)).statusCode, `${method} ${url}`).toBe(403);
    }
    expect((await call(user, 'GET', item.url)).statusCode).toBe(200);
  });
});

describe('listing and deleting', () => {
  it('lists newest first in pages, and a deleted image is gone with its file', async () => {
    const made = [await upload('one.png'), await upload('two.png'), await upload('three.png')];
    const seen: MediaItem[] = [];
    let cursor: string | null = null;
    do {
      const page: MediaPage = (await call(admin, 'GET', `/api/v1/admin/media?limit=2${cursor ? `&cursor=${cursor}` : ''}`)).json<MediaPage>();
      seen.push(...page.items);
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen.slice(0, 3).map((item) => item.filename)).toEqual(['three.png', 'two.png', 'one.png']);
    expect(new Set(seen.map((item) => item.id)).size).toBe(seen.length);

    const gone = made[1]!;
    const res = await call(admin, 'DELETE', `/api/v1/admin/media/${gone.id}`);
    expect(res.json()).toEqual({ deleted: true, id: gone.id });
    expect(storedFiles()).not.toContain(gone.id);
    expect((await call(null, 'GET', gone.url)).statusCode).toBe(404);
    expect((await call(admin, 'DELETE', `/api/v1/admin/media/${gone.id}`)).json().error.code).toBe('MEDIA_NOT_FOUND');
    const entries = await audit.api.listAudit({ targetId: gone.id }, 10);
    expect(entries.map((entry) => entry.action)).toEqual(['content.media.deleted', 'content.media.uploaded']);
  });

  it("export lists an uploader's images; erasure forgets the uploader and keeps the images", async () => {
    const uploader = { id: newId(), isAdmin: true };
    const res = await call(uploader, 'POST', '/api/v1/admin/media?filename=by-uploader.png', { type: 'image/png', bytes: PNG });
    const item = res.json<MediaItem>();
    expect((await content.dataRights.exportSubject({ userId: uploader.id })).media).toEqual([expect.objectContaining({ id: item.id, uploadedBy: uploader.id })]);
    await content.dataRights.eraseSubject({ userId: uploader.id });
    expect((await content.dataRights.exportSubject({ userId: uploader.id })).media).toEqual([]);
    expect((await call(null, 'GET', item.url)).statusCode).toBe(200);
  });
});
