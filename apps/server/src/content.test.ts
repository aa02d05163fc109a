import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startS3Standin, type S3Standin } from '@weft/testing';
import type { Platform } from './platform';
import { createTestPlatform } from './test-platform';
import { callAs, signUp, type Session } from './test-sessions';

/**
 * The blog as `weft start` wires it, with images in an S3-compatible store
 * (WEFT_MEDIA_S3_*, the stand-in checking every signature): an administrator
 * uploads an image and publishes a post that shows it; anyone reads both;
 * the session's CSRF token guards the upload like any write.
 */
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==', 'base64');

let s3: S3Standin;
let platform: Platform;
let admin: Session;

beforeAll(async () => {
  s3 = await startS3Standin({ buckets: ['weft-media'] });
  platform = await createTestPlatform({
    WEFT_MEDIA_S3_ENDPOINT: s3.url,
    WEFT_MEDIA_S3_BUCKET: 'weft-media',
    WEFT_MEDIA_S3_ACCESS_KEY_ID: s3.accessKeyId,
    WEFT_MEDIA_S3_SECRET_ACCESS_KEY: s3.secretAccessKey,
  });
  await platform.app.ready();
  await platform.modules.accounts.api.createUser({ email: 'editor@example.test', username: 'editor', password: 'a-long-and-unusual-passphrase-9', isAdmin: true });
  const login = await platform.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { login: 'editor', password: 'a-long-and-unusual-passphrase-9' } });
  expect(login.statusCode, login.body).toBe(200);
  admin = { cookie: login.cookies.map((c) => `${c.name}=${c.value}`).join('; '), csrf: login.json().csrfToken, username: 'editor' };
});
afterAll(async () => {
  await platform?.close();
  await s3?.close();
});

function uploadAs(session: Session, withCsrf = true) {
  return platform.app.inject({
    method: 'POST',
    url: '/api/v1/admin/media?filename=chart.png',
    headers: { cookie: session.cookie, 'content-type': 'image/png', ...(withCsrf ? { 'x-csrf-token': session.csrf } : {}) },
    payload: PNG,
  });
}

describe('the blog, wired', () => {
  it('keeps an uploaded image in the S3-compatible store and serves it in a published post', async () => {
    expect((await uploadAs(admin, false)).statusCode).toBe(403);
    const uploaded = await uploadAs(admin);
    expect(uploaded.statusCode, uploaded.body).toBe(201);
    const image = uploaded.json<{ id: string; url: string }>();
    expect(s3.buckets.get('weft-media')!.get(`media/${image.id}`)!.bytes.equals(PNG)).toBe(true);

    const created = await callAs(platform, admin, 'POST', '/api/v1/admin/posts', { kind: 'blog', slug: 'charts', title: 'Charts', bodyMarkdown: `![chart](${image.url})` });
    expect(created.statusCode, created.body).toBe(201);
    expect((await callAs(platform, admin, 'POST', `/api/v1/admin/posts/${created.json().id}/publish`)).statusCode).toBe(200);

    const post = await platform.app.inject({ method: 'GET', url: '/api/v1/posts/charts' });
    expect(post.json().bodyHtml).toContain(`<img src="${image.url}" alt="chart">`);
    const served = await platform.app.inject({ method: 'GET', url: image.url });
    expect([served.statusCode, served.headers['content-type']]).toEqual([200, 'image/png']);
    expect(served.rawPayload.equals(PNG)).toBe(true);
    expect(s3.refusals).toEqual([]);
  });

  it('refuses uploads and post writes to a signed-in user who is not an administrator', async () => {
    const user = await signUp(platform, 'reader');
    expect((await uploadAs(user)).json().error.code).toBe('FORBIDDEN');
    expect((await callAs(platform, user, 'POST', '/api/v1/admin/posts', { kind: 'blog', slug: 'nope', title: 'Nope', bodyMarkdown: 'x' })).statusCode).toBe(403);
  });

  it('lists the posts and images in the writer’s data export', async () => {
    const exported = await callAs(platform, admin, 'GET', '/api/v1/me/export');
    expect(exported.statusCode).toBe(200);
    expect(JSON.stringify(exported.json())).toContain('"slug":"charts"');
    expect(JSON.stringify(exported.json())).toContain('"filename":"chart.png"');
  });
});
