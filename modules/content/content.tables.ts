import { sql } from 'drizzle-orm';
import { check, index, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { defineTableInventory, systemColumn } from '@weft/kernel';

/**
 * The instance's blog and changelog. A post is a draft until an administrator
 * publishes it; only published posts are public. The HTML is rendered from
 * the markdown when the post is saved, so readers never pay for rendering.
 */
export const posts = pgTable(
  'posts',
  {
    id: uuid('id').primaryKey(),
    kind: text('kind').$type<'blog' | 'changelog'>().notNull(),
    slug: text('slug').notNull(),
    title: text('title').notNull(),
    summary: text('summary').notNull().default(''),
    bodyMarkdown: text('body_markdown').notNull(),
    bodyHtml: text('body_html').notNull(),
    status: text('status').$type<'draft' | 'published'>().notNull().default('draft'),
    authorId: text('author_id'),
    publishedAt: timestamp('published_at', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('posts_slug_key').on(t.slug),
    // The public list: published posts of a kind, newest first.
    index('posts_published_idx').on(t.kind, t.publishedAt, t.id),
    index('posts_author_idx').on(t.authorId),
    check('posts_kind_check', sql`${t.kind} IN ('blog', 'changelog')`),
    check('posts_status_check', sql`${t.status} IN ('draft', 'published')`),
    // A published post has its date; a draft keeps the date it was first published, if any.
    check('posts_published_at_check', sql`${t.status} = 'draft' OR ${t.publishedAt} IS NOT NULL`),
  ],
);

export const contentInventory = defineTableInventory({
  table: 'posts',
  module: 'content',
  description: "The instance's blog and changelog posts, written by its administrators for the public",
  columns: {
    id: systemColumn('post id', 'system.identifier'),
    kind: systemColumn('blog or changelog'),
    slug: systemColumn('the address of the post'),
    title: systemColumn("the post's title, a publication of the instance"),
    summary: systemColumn('a line shown in lists and feeds'),
    body_markdown: systemColumn('the text as written, a publication of the instance'),
    body_html: systemColumn('the text as shown, rendered from the markdown'),
    status: systemColumn('draft or published'),
    author_id: {
      category: 'user.identifier',
      purpose: 'which administrator wrote the post (editorial accountability)',
      subject: 'user',
      retention: 'as long as the post',
      erase: 'anonymize',
    },
    published_at: systemColumn('when the post was first published'),
    created_at: systemColumn('when the draft was started'),
    updated_at: systemColumn('when the post last changed'),
  },
});
