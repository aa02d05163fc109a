import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance, InjectOptions } from 'fastify';
import type { EditablePost, EditablePostPage, PublicPost, PublicPostPage } from '@weft/contracts';
import { createAuditModule, type AuditModule } from '@weft/audit';
import { createManualClock, newId } from '@weft/kernel';
import { breakableOnce, createTestDatabase, startRoutesApp, testCallerHeaders, type TestCaller as Caller, type TestDatabase } from '@weft/testing';
import { createContentModule, createLocalMediaStore, type ContentModule } from './index';

/**
 * The content routes wired as apps/server wires them, on a real database, with
 * the real audit module. A stand-in authenticator reads `x-test-user` and
 * `x-test-admin` (instance administrator).
 */
let database: TestDatabase;
let app: FastifyInstance;
let audit: AuditModule;
let content: ContentModule;
const clock = createManualClock(new Date('2026-06-01T00:00:00Z'));
const editor: Caller = { id: newId(), isAdmin: true };
const otherEditor: Caller = { id: newId(), isAdmin: true };
const user: Caller = { id: newId() };
/** Makes the next audit entry fail: the change it belongs to must roll back with it. */
let breakAuditLog: () => void;

function call(caller: Caller | null, method: InjectOptions['method'], url: string, payload?: unknown) {
  return app.inject({ method, url, headers: testCallerHeaders(caller), payload: payload as InjectOptions['payload'] });
}

async function createPost(body: Record<string, unknown>, by: Caller = editor): Promise<EditablePost> {
  const res = await call(by, 'POST', '/api/v1/admin/posts', { kind: 'blog', bodyMarkdown: 'Text.', ...body });
  expect(res.statusCode, res.body).toBe(201);
  return res.json<EditablePost>();
}

async function publish(id: string): Promise<EditablePost> {
  clock.advance(1000);
  const res = await call(editor, 'POST', `/api/v1/admin/posts/${id}/publish`);
  expect(res.statusCode, res.body).toBe(200);
  return res.json<EditablePost>();
}

async function readAllPublic(query: string, limit: number): Promise<PublicPostPage['items']> {
  const items: PublicPostPage['items'] = [];
  let cursor: string | null = null;
  do {
    const res = await call(null, 'GET', `/api/v1/posts?limit=${limit}${query}${cursor ? `&cursor=${cursor}` : ''}`);
    expect(res.statusCode, res.body).toBe(200);
    const page = res.json<PublicPostPage>();
    expect(page.items.length).toBeLessThanOrEqual(limit);
    items.push(...page.items);
    cursor = page.nextCursor;
  } while (cursor);
  return items;
}

beforeAll(async () => {
  database = await createTestDatabase();
  audit = createAuditModule({ database, clock, ipHashKey: 'test-ip-key' });
  const auditLog = breakableOnce(audit.api.recordAudit, 'audit log unavailable');
  breakAuditLog = auditLog.breakNext;
  content = createContentModule({
    database,
    clock,
    recordAudit: auditLog.call,
    publicUrl: 'https://weft.test/',
    instanceName: 'Weft',
    store: createLocalMediaStore(join(mkdtempSync(join(tmpdir(), 'weft-content-')), 'media')),
  });
  app = await startRoutesApp(content.routes, { bodyLimitBytes: 512 * 1024 });
}, 60_000);

afterAll(async () => {
  await app?.close();
  await database?.close();
});

describe('drafts and publishing', () => {
  it('a draft is invisible to the public until it is published, then it is listed, readable and dated', async () => {
    const draft = await createPost({ slug: 'hello-weft', title: 'Hello, Weft', summary: 'The first post', bodyMarkdown: '# Hi\n\nWeft is **here**.' });
    expect(draft).toMatchObject({ status: 'draft', publishedAt: null, authorId: editor.id, bodyHtml: '<h1>Hi</h1>\n<p>Weft is <strong>here</strong>.</p>\n' });
    expect((await call(null, 'GET', '/api/v1/posts/hello-weft')).statusCode).toBe(404);
    expect((await readAllPublic('', 50)).map((post) => post.slug)).not.toContain('hello-weft');

    const published = await publish(draft.id);
    expect(published.status).toBe('published');
    expect(published.publishedAt).toBe(clock.now().toISOString());
    const res = await call(null, 'GET', '/api/v1/posts/hello-weft');
    expect(res.statusCode, res.body).toBe(200);
    const post = res.json<PublicPost>();
    expect(post).toEqual({
      id: draft.id,
      kind: 'blog',
      slug: 'hello-weft',
      title: 'Hello, Weft',
      summary: 'The first post',
      bodyHtml: draft.bodyHtml,
      publishedAt: published.publishedAt,
      updatedAt: published.updatedAt,
    });
    // Neither the markdown, nor the status, nor who wrote it is public.
    expect(Object.keys(post)).not.toEqual(expect.arrayContaining(['bodyMarkdown', 'authorId', 'status']));
  });

  it('withdrawing hides the post again; publishing it again keeps its first date', async () => {
    const post = await createPost({ slug: 'withdrawn', title: 'Withdrawn' });
    const first = await publish(post.id);
    clock.advance(60_000);
    const withdrawn = await call(editor, 'POST', `/api/v1/admin/posts/${post.id}/unpublish`);
    expect(withdrawn.json<EditablePost>()).toMatchObject({ status: 'draft', publishedAt: first.publishedAt });
    expect((await call(null, 'GET', '/api/v1/posts/withdrawn')).statusCode).toBe(404);
    const again = await publish(post.id);
    expect(again.publishedAt).toBe(first.publishedAt);
    // Publishing a published post changes nothing and records nothing.
    const entriesBefore = (await audit.api.listAudit({ targetId: post.id }, 50)).length;
    const twice = await publish(post.id);
    expect(twice.updatedAt).toBe(again.updatedAt);
    expect(await audit.api.listAudit({ targetId: post.id }, 50)).toHaveLength(entriesBefore);
  });

  it('an edit re-renders the HTML and shows in public at once; only the fields given change', async () => {
    const post = await createPost({ slug: 'edited', title: 'Before', summary: 'kept', bodyMarkdown: 'old' });
    await publish(post.id);
    const res = await call(editor, 'PATCH', `/api/v1/admin/posts/${post.id}`, { title: 'After', bodyMarkdown: '*new*' });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json<EditablePost>()).toMatchObject({ title: 'After', summary: 'kept', bodyMarkdown: '*new*', bodyHtml: '<p><em>new</em></p>\n' });
    expect((await call(null, 'GET', '/api/v1/posts/edited')).json<PublicPost>()).toMatchObject({ title: 'After', bodyHtml: '<p><em>new</em></p>\n' });
  });

  it('a deleted post is gone for everyone; deleting it again is a 404', async () => {
    const post = await createPost({ slug: 'deleted', title: 'Deleted' });
    await publish(post.id);
    const res = await call(editor, 'DELETE', `/api/v1/admin/posts/${post.id}`);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toEqual({ deleted: true, id: post.id });
    expect((await call(null, 'GET', '/api/v1/posts/deleted')).statusCode).toBe(404);
    expect((await call(editor, 'GET', `/api/v1/admin/posts/${post.id}`)).statusCode).toBe(404);
    expect((await call(editor, 'DELETE', `/api/v1/admin/posts/${post.id}`)).json().error.code).toBe('POST_NOT_FOUND');
  });

  it('every change is in the audit log with the administrator who made it', async () => {
    const post = await createPost({ slug: 'audited', title: 'Audited' }, otherEditor);
    await publish(post.id);
    await call(editor, 'DELETE', `/api/v1/admin/posts/${post.id}`);
    const entries = await audit.api.listAudit({ targetId: post.id }, 50);
    expect(entries.map((entry) => [entry.action, entry.actorType, entry.actorId])).toEqual([
      ['content.post.deleted', 'admin', editor.id],
      ['content.post.published', 'admin', editor.id],
      ['content.post.created', 'admin', otherEditor.id],
    ]);
  });

  it('a change whose audit entry fails is rolled back whole', async () => {
    breakAuditLog();
    const failed = await call(editor, 'POST', '/api/v1/admin/posts', { kind: 'blog', slug: 'rolled-back', title: 'Rolled back', bodyMarkdown: 'x' });
    expect(failed.statusCode).toBe(500);
    const all = (await call(editor, 'GET', '/api/v1/admin/posts?limit=200')).json<EditablePostPage>().items;
    expect(all.map((post) => post.slug)).not.toContain('rolled-back');

    const post = await createPost({ slug: 'kept-as-draft', title: 'Kept' });
    breakAuditLog();
    expect((await call(editor, 'POST', `/api/v1/admin/posts/${post.id}/publish`)).statusCode).toBe(500);
    expect((await call(editor, 'GET', `/api/v1/admin/posts/${post.id}`)).json<EditablePost>()).toMatchObject({ status: 'draft', publishedAt: null });
  });
});

describe('who may do what', () => {
  it('only instance administrators see drafts and write; others get 401 or 403 and change nothing', async () => {
    const post = await createPost({ slug: 'admins-only', title: 'Admins only' });
    const writes: [InjectOptions['method'], string, unknown?][] = [
      ['GET', '/api/v1/admin/posts'],
      ['GET', `/api/v1/admin/posts/${post.id}`],
      ['POST', '/api/v1/admin/posts', { kind: 'blog', slug: 'sneaky', title: 'Sneaky', bodyMarkdown: 'x' }],
      ['PATCH', `/api/v1/admin/posts/${post.id}`, { title: 'Sneaky' }],
      ['POST', `/api/v1/admin/posts/${post.id}/publish`],
      ['DELETE', `/api/v1/admin/posts/${post.id}`],
      ['POST', '/api/v1/admin/posts/preview', { bodyMarkdown: 'x' }],
    ];
    for (const [method, url, payload] of writes) {
      expect((await call(null, method, url, payload)).statusCode, `${method} ${url}`).toBe(401);
      const forbidden = await call(user, method, url, payload);
      expect(forbidden.statusCode, `${method} ${url}`).toBe(403);
      expect(forbidden.json().error.code).toBe('FORBIDDEN');
    }
    expect((await call(editor, 'GET', `/api/v1/admin/posts/${post.id}`)).json<EditablePost>()).toMatchObject({ title: 'Admins only', status: 'draft' });
    expect((await call(null, 'GET', '/api/v1/posts/sneaky')).statusCode).toBe(404);
  });
});

describe('bad input', () => {
  it('is refused with every problem named, and nothing is saved', async () => {
    const res = await call(editor, 'POST', '/api/v1/admin/posts', { kind: 'news', slug: 'Not A Slug', title: '  ', bodyMarkdown: 'x', extra: 1 });
    expect(res.statusCode).toBe(400);
    const { error } = res.json();
    expect(error.code).toBe('VALIDATION_FAILED');
    expect(error.details.map((issue: { path: string }) => issue.path).sort()).toEqual(['', 'kind', 'slug', 'title']);
    expect((await call(editor, 'PATCH', `/api/v1/admin/posts/${newId()}`, {})).json().error.code).toBe('VALIDATION_FAILED');
    const tooLong = await call(editor, 'POST', '/api/v1/admin/posts', { kind: 'blog', slug: 'long', title: 'Long', bodyMarkdown: 'x'.repeat(200_001) });
    expect(tooLong.json().error.details).toEqual([expect.objectContaining({ path: 'bodyMarkdown', message: 'A post is at most 200,000 characters' })]);
  });

  it('a taken address is a 409 on create and on rename, and the other post keeps it', async () => {
    const first = await createPost({ slug: 'taken', title: 'First' });
    const again = await call(editor, 'POST', '/api/v1/admin/posts', { kind: 'changelog', slug: 'taken', title: 'Second', bodyMarkdown: 'x' });
    expect(again.statusCode).toBe(409);
    expect(again.json().error).toMatchObject({ code: 'POST_SLUG_TAKEN', details: { slug: 'taken' } });
    const second = await createPost({ slug: 'not-taken', title: 'Second' });
    const rename = await call(editor, 'PATCH', `/api/v1/admin/posts/${second.id}`, { slug: 'taken', title: 'Renamed' });
    expect(rename.statusCode).toBe(409);
    expect((await call(editor, 'GET', `/api/v1/admin/posts/${second.id}`)).json<EditablePost>()).toMatchObject({ slug: 'not-taken', title: 'Second' });
    expect((await call(editor, 'GET', `/api/v1/admin/posts/${first.id}`)).json<EditablePost>().slug).toBe('taken');
  });

  it('an id that is not a post id is a 404, not a database error', async () => {
    for (const [method, url] of [['GET', '/api/v1/admin/posts/not-a-uuid'], ['POST', '/api/v1/admin/posts/not-a-uuid/publish'], ['DELETE', '/api/v1/admin/posts/1']] as const) {
      const res = await call(editor, method, url);
      expect(res.statusCode, url).toBe(404);
      expect(res.json().error.code).toBe('POST_NOT_FOUND');
    }
  });

  it('raw HTML and script links in a post are shown as text, in the preview and in public', async () => {
    const markdown = '<script>alert(1)</script> [x](javascript:alert(2)) <img src=x onerror=alert(3)>';
    const preview = await call(editor, 'POST', '/api/v1/admin/posts/preview', { bodyMarkdown: markdown });
    const post = await createPost({ slug: 'xss', title: '<b>bold</b>', bodyMarkdown: markdown });
    await publish(post.id);
    const shown = (await call(null, 'GET', '/api/v1/posts/xss')).json<PublicPost>();
    for (const html of [preview.json().bodyHtml as string, shown.bodyHtml]) {
      expect(html).not.toMatch(/<script|<img|href="javascript/i);
      expect(html).toContain('&lt;script&gt;');
    }
  });
});

describe('the public list and the feed', () => {
  it('pages through published posts newest first, by kind, without repeats or gaps', async () => {
    const slugs: string[] = [];
    for (let i = 0; i < 5; i += 1) {
      const post = await createPost({ kind: 'changelog', slug: `release-${i}`, title: `Release ${i}` });
      await publish(post.id);
      slugs.unshift(post.slug);
    }
    await createPost({ kind: 'changelog', slug: 'release-draft', title: 'Not yet' });
    expect((await readAllPublic('&kind=changelog', 2)).map((post) => post.slug)).toEqual(slugs);
    const everything = await readAllPublic('', 3);
    expect(everything.map((post) => post.slug)).toEqual((await readAllPublic('', 200)).map((post) => post.slug));
    expect(everything.some((post) => post.kind === 'blog')).toBe(true);
    // An undecodable cursor reads as the first page.
    expect((await call(null, 'GET', '/api/v1/posts?kind=changelog&limit=1&cursor=nonsense')).json<PublicPostPage>().items[0]!.slug).toBe('release-4');
    expect((await call(null, 'GET', '/api/v1/posts?limit=0')).json().error).toMatchObject({ code: 'VALIDATION_FAILED', details: [expect.objectContaining({ path: 'limit', in: 'query' })] });
    expect((await call(null, 'GET', '/api/v1/posts?kind=news')).json().error.code).toBe('VALIDATION_FAILED');
    expect((await call(editor, 'GET', '/api/v1/admin/posts?status=archived')).json().error).toMatchObject({ code: 'VALIDATION_FAILED', details: [expect.objectContaining({ path: 'status' })] });
  });

  it('the RSS feed lists the newest published posts of a kind, escaped, with stable guids', async () => {
    const res = await call(null, 'GET', '/api/v1/posts/rss.xml?kind=changelog');
    expect(res.statusCode, res.body).toBe(200);
    expect(res.headers['content-type']).toBe('application/rss+xml; charset=utf-8');
    expect(res.headers['cache-control']).toBe('public, max-age=60');
    const feed = res.body;
    expect(feed.startsWith('<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0"')).toBe(true);
    expect(feed).toContain('<title>Weft changelog</title>');
    expect(feed).toContain('<atom:link href="https://weft.test/api/v1/posts/rss.xml?kind=changelog" rel="self" type="application/rss+xml"/>');
    const items = [...feed.matchAll(/<item>[\s\S]*?<\/item>/g)].map((match) => match[0]);
    expect(items.map((item) => /<link>https:\/\/weft\.test\/changelog\/([^<]+)<\/link>/.exec(item)?.[1])).toEqual([
      'release-4',
      'release-3',
      'release-2',
      'release-1',
      'release-0',
    ]);
    expect(items[0]).toMatch(/<pubDate>\w{3}, \d\d \w{3} 2026 \d\d:\d\d:\d\d GMT<\/pubDate>/);
    expect(items[0]).toContain('<description>&lt;p&gt;Text.&lt;/p&gt;\n</description>');

    const blog = (await call(null, 'GET', '/api/v1/posts/rss.xml')).body;
    expect(blog).toContain('<title>Weft blog</title>');
    // The title with markup is escaped once more inside the XML, and the script never appears as a tag.
    expect(blog).toContain('<title>&lt;b&gt;bold&lt;/b&gt;</title>');
    expect(blog).not.toMatch(/<script|<b>/);
    expect((await call(null, 'GET', '/api/v1/posts/rss.xml?kind=news')).json().error).toMatchObject({ code: 'VALIDATION_FAILED', details: [expect.objectContaining({ path: 'kind' })] });
  });

  it("gives the feed's links and images the instance's address, since readers show them elsewhere", async () => {
    const post = await createPost({ kind: 'changelog', slug: 'with-image', title: 'With an image', bodyMarkdown: '![shot](/media/x/shot.png) [docs](/docs) [other](https://example.test/a) [proto](//cdn.test/x)' });
    await publish(post.id);
    const feed = (await call(null, 'GET', '/api/v1/posts/rss.xml?kind=changelog')).body;
    expect(feed).toContain('&lt;img src=&quot;https://weft.test/media/x/shot.png&quot; alt=&quot;shot&quot;&gt;');
    expect(feed).toContain('&lt;a href=&quot;https://weft.test/docs&quot;&gt;docs&lt;/a&gt;');
    expect(feed).toContain('href=&quot;https://example.test/a&quot;');
    expect(feed).toContain('href=&quot;//cdn.test/x&quot;');
    // The post itself keeps its paths: the site serves them.
    expect((await call(null, 'GET', '/api/v1/posts/with-image')).json<PublicPost>().bodyHtml).toContain('<img src="/media/x/shot.png" alt="shot">');
  });
});

describe('data rights', () => {
  it("export lists a writer's posts; erasure forgets the writer and keeps the posts", async () => {
    const writer: Caller = { id: newId(), isAdmin: true };
    const post = await createPost({ slug: 'by-writer', title: 'By the writer' }, writer);
    await publish(post.id);
    const exported = await content.dataRights.exportSubject({ userId: writer.id });
    expect(exported.posts).toEqual([expect.objectContaining({ id: post.id, slug: 'by-writer', authorId: writer.id, bodyMarkdown: 'Text.' })]);
    expect((await content.dataRights.exportSubject({ userId: editor.id })).posts!.length).toBeGreaterThan(3);

    await content.dataRights.eraseSubject({ userId: writer.id });
    expect((await content.dataRights.exportSubject({ userId: writer.id })).posts).toEqual([]);
    expect((await call(editor, 'GET', `/api/v1/admin/posts/${post.id}`)).json<EditablePost>()).toMatchObject({ authorId: null, status: 'published' });
    expect((await call(null, 'GET', '/api/v1/posts/by-writer')).statusCode).toBe(200);
    // Nobody else's posts were touched.
    expect((await content.dataRights.exportSubject({ userId: editor.id })).posts!.length).toBeGreaterThan(3);
  });
});
