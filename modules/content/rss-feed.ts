import type { PublishedPostRow } from './content.repository';
import type { PostKind } from './content.service';

export interface FeedOptions {
  kind: PostKind;
  /** The instance's public address, without a trailing slash. */
  publicUrl: string;
  instanceName: string;
  /** The feed's date when it has no post yet. */
  now: Date;
}

const TITLES: Record<PostKind, string> = { blog: 'blog', changelog: 'changelog' };

/**
 * An RSS 2.0 document of published posts, newest first. Each item carries the
 * post's HTML as its description (escaped, as RSS wants) and the post id as
 * its guid, so that a changed slug does not show up as a new post in readers.
 */
export function renderRssFeed(rows: PublishedPostRow[], options: FeedOptions): string {
  const { kind, publicUrl, instanceName } = options;
  const page = `${publicUrl}/${kind}`;
  const self = `${publicUrl}/api/v1/posts/rss.xml?kind=${kind}`;
  const newest = rows[0]?.publishedAt ?? options.now;
  const items = rows.map(
    (row) => `    <item>
      <title>${xml(row.title)}</title>
      <link>${xml(`${page}/${row.slug}`)}</link>
      <guid isPermaLink="false">${xml(row.id)}</guid>
      <pubDate>${row.publishedAt.toUTCString()}</pubDate>
      <description>${xml(absoluteLinks(row.bodyHtml, publicUrl))}</description>
    </item>
`,
  );
  return `<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:atom="http://www.w3.org/2005/Atom">
  <channel>
    <title>${xml(`${instanceName} ${TITLES[kind]}`)}</title>
    <link>${xml(page)}</link>
    <description>${xml(`The ${TITLES[kind]} of ${instanceName}`)}</description>
    <atom:link href="${xml(self)}" rel="self" type="application/rss+xml"/>
    <lastBuildDate>${newest.toUTCString()}</lastBuildDate>
${items.join('')}  </channel>
</rss>
`;
}

/**
 * Feed readers show a post away from this site: links and images written as paths (`/media/…`)
 * get the instance's address. markdown-it always writes attributes double-quoted.
 */
function absoluteLinks(html: string, publicUrl: string): string {
  return html.replace(/(\s(?:src|href)=")\/(?!\/)/g, `$1${publicUrl}/`);
}

const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' };

/** Escapes for XML text and attributes, dropping the control characters XML 1.0 cannot hold at all. */
function xml(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g, '').replace(/[&<>"']/g, (char) => ENTITIES[char]!);
}
