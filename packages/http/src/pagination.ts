/** Opaque cursors for list endpoints; the query schema (`PageQuery`) is in packages/contracts. */
export function encodeCursor(values: Record<string, string>): string {
  return Buffer.from(JSON.stringify(values)).toString('base64url');
}

export function decodeCursor(cursor: string | undefined): Record<string, string> | null {
  if (!cursor) return null;
  try {
    const parsed: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    return parsed && typeof parsed === 'object' ? (parsed as Record<string, string>) : null;
  } catch {
    return null;
  }
}

/**
 * One page of a keyset-paginated list from `limit + 1` rows read: the first `limit` shown, and a
 * cursor (the last shown row's keys) only when the extra row proves there is more.
 */
export function pageFromRows<Row, Item>(rows: Row[], limit: number, cursorOf: (row: Row) => Record<string, string>, show: (row: Row) => Item): { items: Item[]; nextCursor: string | null } {
  const shown = rows.slice(0, limit);
  const last = shown.at(-1);
  return { items: shown.map(show), nextCursor: rows.length > limit && last !== undefined ? encodeCursor(cursorOf(last)) : null };
}
