/** How a field is evaluated: `{{ … }}` segments inside text, or the whole value is JSONata. */
export type ExpressionMode = 'template' | 'jsonata';

/** What an expression of one node can read, with sample data when a run or pinned data showed it. */
export interface ExpressionScope {
  /** Nodes the node can read as `$nodes.<id>`, nearest first, with their last known output. */
  upstream: { id: string; name: string; sample: unknown }[];
  /** What the node receives (`$input`, and the focus of its JSONata fields). */
  input: unknown;
  /** The run's trigger payload (`$trigger`). */
  trigger: unknown;
}

export interface Suggestion {
  /** The text inserted in place of the word being typed. */
  value: string;
  /** Where it comes from, e.g. "output of Incoming request". */
  detail: string;
}

const MAX_DEPTH = 4;
const MAX_SUGGESTIONS = 12;
const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** Every field path of a sample value, parents first: `body`, `body.name`. Arrays and odd keys stop the walk. */
export function listFieldPaths(sample: unknown, prefix = '', depth = 0): string[] {
  if (depth >= MAX_DEPTH || sample === null || typeof sample !== 'object' || Array.isArray(sample)) return [];
  const paths: string[] = [];
  for (const [key, child] of Object.entries(sample as Record<string, unknown>)) {
    // JSONata reads other keys with backticks; suggesting those would teach the wrong syntax.
    if (!IDENTIFIER.test(key)) continue;
    const path = prefix ? `${prefix}.${key}` : key;
    paths.push(path, ...listFieldPaths(child, path, depth + 1));
  }
  return paths;
}

/**
 * The word being typed at the caret, when suggestions apply there: inside an
 * open `{{` (template) or anywhere outside a string literal (JSONata).
 */
export function findExpressionToken(text: string, caret: number, mode: ExpressionMode): { start: number; word: string } | null {
  const before = text.slice(0, caret);
  let expression = before;
  if (mode === 'template') {
    const open = before.lastIndexOf('{{');
    if (open === -1 || before.indexOf('}}', open) !== -1) return null;
    expression = before.slice(open + 2);
  }
  // Inside a string literal: no field names to suggest.
  if ((expression.match(/"/g)?.length ?? 0) % 2 === 1 || (expression.match(/'/g)?.length ?? 0) % 2 === 1) return null;
  const word = /[$A-Za-z0-9_.]*$/.exec(expression)![0];
  if (mode === 'jsonata' && word === '') return null;
  return { start: caret - word.length, word };
}

/** Everything the scope offers, in a stable order: $input, $trigger, then each upstream node. */
export function buildCandidates(scope: ExpressionScope, mode: ExpressionMode): Suggestion[] {
  const candidates: Suggestion[] = [{ value: '$input', detail: 'what this node receives' }];
  for (const path of listFieldPaths(scope.input)) candidates.push({ value: `$input.${path}`, detail: 'field of the input' });
  candidates.push({ value: '$trigger', detail: 'the trigger payload' });
  for (const path of listFieldPaths(scope.trigger)) candidates.push({ value: `$trigger.${path}`, detail: 'field of the trigger payload' });
  for (const node of scope.upstream) {
    const label = node.name || node.id;
    candidates.push({ value: `$nodes.${node.id}`, detail: `output of ${label}` });
    for (const path of listFieldPaths(node.sample)) candidates.push({ value: `$nodes.${node.id}.${path}`, detail: `field of ${label}` });
  }
  // In JSONata the input is the focus: its fields are read by name alone.
  if (mode === 'jsonata') for (const path of listFieldPaths(scope.input)) candidates.push({ value: path, detail: 'field of the input' });
  return candidates;
}

/** Candidates that continue the word, fewest segments first; the word itself is not offered back. */
export function suggestCompletions(scope: ExpressionScope, mode: ExpressionMode, word: string): Suggestion[] {
  const lower = word.toLowerCase();
  const seen = new Set<string>();
  const matches = buildCandidates(scope, mode).filter((candidate) => {
    if (seen.has(candidate.value) || candidate.value === word || !candidate.value.toLowerCase().startsWith(lower)) return false;
    seen.add(candidate.value);
    return true;
  });
  const depth = (value: string) => value.split('.').length;
  return matches.sort((a, b) => depth(a.value) - depth(b.value)).slice(0, MAX_SUGGESTIONS);
}

/** The text with the word replaced by the suggestion; a template gets its closing braces when missing. */
export function applySuggestion(text: string, token: { start: number; word: string }, value: string, mode: ExpressionMode): { text: string; caret: number } {
  const end = token.start + token.word.length;
  const after = text.slice(end);
  const closing = mode === 'template' && !after.includes('}}') ? ' }}' : '';
  const next = text.slice(0, token.start) + value + closing + after;
  return { text: next, caret: token.start + value.length };
}

/** Params evaluated as JSONata as a whole (the engine's rawParams); every other string may hold `{{ }}` templates. */
export function readExpressionMode(paramName: string): ExpressionMode {
  return /^(expression|source|condition|filter|items)$/i.test(paramName) ? 'jsonata' : 'template';
}
