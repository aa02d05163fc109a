import { z } from 'zod';

/**
 * A moment in a reply. Services hand over `Date`s; the reply carries ISO 8601
 * in UTC (`2026-06-01T00:00:00.000Z`), which is what clients see (`z.output`).
 */
export const IsoDate = z.date().transform((date) => date.toISOString());

/** The `:workspace` path segment: a workspace id (36 characters) or its slug (at most 40). */
export const WorkspaceParams = z.object({ workspace: z.string().min(1).max(64) });
export type WorkspaceParams = z.output<typeof WorkspaceParams>;

/** Cursor pagination of every list endpoint: an opaque cursor and a bounded page size. */
export const PageQuery = z.object({
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().max(200).optional(),
});
export type PageQuery = z.input<typeof PageQuery>;

/** One page of a list; `nextCursor` is null on the last page and otherwise goes back as `?cursor=`. */
export function Page<Item extends z.ZodType>(item: Item) {
  return z.object({ items: z.array(item), nextCursor: z.string().nullable() });
}
export interface Page<Item> {
  items: Item[];
  nextCursor: string | null;
}

/** Actions with nothing to say answer 204 and no body. */
export const NoContent = z.null();
export type NoContent = z.output<typeof NoContent>;

/**
 * Every 4xx and 5xx reply of the API (packages/http writes it): a stable
 * `code` to branch on, a `message` for people, `details` that depend on the
 * code (the zod issues of VALIDATION_FAILED as `{ path, message, code }[]`),
 * and the request id to quote in a support ticket.
 */
export const ErrorEnvelope = z.object({
  error: z.object({
    code: z.string(),
    message: z.string(),
    details: z.unknown().optional(),
    requestId: z.string().optional(),
  }),
});
export type ErrorEnvelope = z.output<typeof ErrorEnvelope>;

/** One VALIDATION_FAILED issue: where (`nodes.2.name`, empty for the whole input) and what is wrong. */
export const ValidationIssue = z.object({ path: z.string(), message: z.string(), code: z.string() });
export type ValidationIssue = z.output<typeof ValidationIssue>;
