import type { EraseStrategy, TableInventory } from '@weft/kernel';

const ERASE_WORDS: Record<EraseStrategy, string> = {
  delete: 'deleted',
  anonymize: 'anonymized',
  'keep-legal': 'kept where the law requires it',
  'not-personal': 'not personal data',
};

export interface NoticeEntry {
  module: string;
  table: string;
  description: string;
  column: string;
  category: string;
  purpose: string;
  subject: string;
  retention: string;
  onErasure: string;
  legalBasis?: string;
}

/** The machine-readable inventory: one entry per column that holds personal data. */
export function listPersonalData(tables: TableInventory[]): NoticeEntry[] {
  return tables.flatMap((table) =>
    Object.entries(table.columns)
      .filter(([, entry]) => entry.subject !== 'none')
      .map(([column, entry]) => ({
        module: table.module,
        table: table.table,
        description: table.description,
        column,
        category: entry.category,
        purpose: entry.purpose,
        subject: entry.subject,
        retention: entry.retention,
        onErasure: ERASE_WORDS[entry.erase],
        ...(entry.legalBasis ? { legalBasis: entry.legalBasis } : {}),
      })),
  );
}

/**
 * A privacy notice generated from the inventory, so it cannot drift from
 * what the code stores: grouped by module, one row per personal-data column.
 */
export function renderPrivacyNotice(tables: TableInventory[], instanceName: string): string {
  const entries = listPersonalData(tables);
  const modules = [...new Set(entries.map((e) => e.module))];
  const sections = modules
    .map((module) => {
      const rows = entries
        .filter((e) => e.module === module)
        .map(
          (e) =>
            `<tr><td>${escapeHtml(e.description)}<br><code>${escapeHtml(e.table)}.${escapeHtml(e.column)}</code></td>` +
            `<td>${escapeHtml(e.category)}</td><td>${escapeHtml(e.purpose)}</td><td>${escapeHtml(e.retention)}</td>` +
            `<td>${escapeHtml(e.onErasure)}${e.legalBasis ? ` (${escapeHtml(e.legalBasis)})` : ''}</td></tr>`,
        )
        .join('\n');
      return `<section><h2>${escapeHtml(module)}</h2><table><thead><tr><th>What</th><th>Category</th><th>Why</th><th>Kept for</th><th>On deletion</th></tr></thead><tbody>\n${rows}\n</tbody></table></section>`;
    })
    .join('\n');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Privacy notice — ${escapeHtml(instanceName)}</title>
<style>body{font:16px/1.5 system-ui,sans-serif;max-width:72rem;margin:2rem auto;padding:0 1rem;color:#1b1f24}
table{border-collapse:collapse;width:100%;margin-bottom:2rem}th,td{border-bottom:1px solid #d8dee4;padding:.5rem;text-align:left;vertical-align:top}
th{background:#f6f8fa}code{font-size:.85em;color:#57606a}</style></head>
<body><main><h1>Privacy notice</h1>
<p>This notice is generated from the data inventory in ${escapeHtml(instanceName)}'s code: every column that holds personal data is listed with why it is kept, for how long, and what happens to it when you ask for your account to be deleted. The same list is available as JSON at <a href="/privacy.json">/privacy.json</a>.</p>
<p>You can export everything we hold about you, or ask for its erasure, from your account settings.</p>
${sections || '<p>This instance stores no personal data yet.</p>'}
</main></body></html>`;
}

export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
