import { AppError } from '@weft/kernel';
import { EngineErrors } from './engine.errors';
import type { z } from 'zod';
import { compileExpression, type ExpressionBindings } from './expressions';

/** A `{{ … }}` segment inside a param string, with its offset for error positions. */
export interface TemplateSegment {
  readonly expression: string;
  readonly offset: number;
}

export type TemplatePart = string | TemplateSegment;

export function isTemplateString(value: unknown): value is string {
  return typeof value === 'string' && value.includes('{{');
}

/**
 * Splits a param string into literal text and `{{ expr }}` segments. The
 * closing `}}` is found by tracking braces and string literals, so object
 * constructors (`{{ {"a": {"b": 1}} }}`) survive. Returns null when the
 * string holds no template; throws ENGINE_EXPRESSION_INVALID when unclosed.
 */
export function parseTemplate(text: string, nodeId: string, param: string): TemplatePart[] | null {
  let open = text.indexOf('{{');
  if (open === -1) return null;
  const parts: TemplatePart[] = [];
  let literalStart = 0;
  while (open !== -1) {
    if (open > literalStart) parts.push(text.slice(literalStart, open));
    const close = findClosingBraces(text, open + 2);
    if (close === -1) {
      throw new AppError(EngineErrors.ENGINE_EXPRESSION_INVALID, `Unclosed "{{" in ${param}`, {
        nodeId,
        param,
        expression: text.slice(open + 2),
        position: open,
      });
    }
    parts.push({ expression: text.slice(open + 2, close), offset: open + 2 });
    literalStart = close + 2;
    open = text.indexOf('{{', literalStart);
  }
  if (literalStart < text.length) parts.push(text.slice(literalStart));
  return parts;
}

function findClosingBraces(text: string, from: number): number {
  let depth = 0;
  let quote: string | null = null;
  for (let i = from; i < text.length; i++) {
    const char = text[i];
    if (quote !== null) {
      if (char === '\\') i++;
      else if (char === quote) quote = null;
      continue;
    }
    if (char === '"' || char === "'" || char === '`') quote = char;
    else if (char === '{') depth++;
    else if (char === '}') {
      if (depth === 0 && text[i + 1] === '}') return i;
      if (depth > 0) depth--;
    }
  }
  return -1;
}

/** Calls `visit` for every template string under `value`, with its dotted path. */
export function visitTemplateStrings(
  value: unknown,
  path: string,
  visit: (text: string, path: string) => void,
): void {
  if (isTemplateString(value)) visit(value, path);
  else if (Array.isArray(value)) value.forEach((item, index) => visitTemplateStrings(item, `${path}[${index}]`, visit));
  else if (isPlainObject(value)) {
    for (const [key, item] of Object.entries(value)) visitTemplateStrings(item, joinPath(path, key), visit);
  }
}

export function joinPath(parent: string, key: string): string {
  return parent === '' ? key : `${parent}.${key}`;
}

/** Plain assignment of `__proto__` would swap the prototype instead of adding a key. */
function assignOwn(target: Record<string, unknown>, key: string, value: unknown): void {
  if (key === '__proto__') Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
  else target[key] = value;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

type Resolve = (bindings: ExpressionBindings) => Promise<unknown>;

/**
 * A value tree compiled once: static subtrees are kept as they are, and only
 * template strings cost an evaluation per run.
 */
function compileValue(value: unknown, nodeId: string, path: string): Resolve | null {
  if (typeof value === 'string') return compileString(value, nodeId, path);
  if (Array.isArray(value)) {
    const items = value.map((item, index) => compileValue(item, nodeId, `${path}[${index}]`));
    if (items.every((item) => item === null)) return null;
    return async (bindings) => {
      const resolved: unknown[] = new Array(value.length);
      for (let i = 0; i < value.length; i++) {
        const item = items[i];
        resolved[i] = item ? await item(bindings) : value[i];
      }
      return resolved;
    };
  }
  if (isPlainObject(value)) {
    const entries = Object.entries(value).map(
      ([key, item]) => [key, item, compileValue(item, nodeId, joinPath(path, key))] as const,
    );
    if (entries.every(([, , resolve]) => resolve === null)) return null;
    return async (bindings) => {
      const resolved: Record<string, unknown> = {};
      for (const [key, item, resolve] of entries) {
        const result = resolve ? await resolve(bindings) : item;
        if (result !== undefined) assignOwn(resolved, key, result);
      }
      return resolved;
    };
  }
  return null;
}

function compileString(text: string, nodeId: string, path: string): Resolve | null {
  const parts = parseTemplate(text, nodeId, path);
  if (parts === null) return null;
  const compiled = parts.map((part) =>
    typeof part === 'string' ? part : compileExpression(part.expression, { nodeId, param: path }),
  );
  const [only] = compiled;
  if (compiled.length === 1 && typeof only !== 'string' && only !== undefined) {
    return (bindings) => only.evaluate(bindings.input, bindings);
  }
  return async (bindings) => {
    let text = '';
    for (const part of compiled) {
      text += typeof part === 'string' ? part : formatInterpolated(await part.evaluate(bindings.input, bindings));
    }
    return text;
  };
}

function formatInterpolated(value: unknown): string {
  if (value === undefined || value === null) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return JSON.stringify(value);
}

/** A node's params, ready for each run. */
export interface CompiledParams {
  /** True when no param holds a template: `value` is then the parsed params for every run. */
  readonly isStatic: boolean;
  readonly value: unknown;
  resolve(bindings: ExpressionBindings): Promise<unknown>;
}

/**
 * Compiles a node's params once per graph. Keys in `rawKeys` are handed to the
 * node as written (it compiles them itself). Resolved params are parsed by the
 * node's schema, so defaults apply and a template that yields the wrong type
 * fails with ENGINE_PARAMS_INVALID instead of reaching the node.
 */
export function compileParams(
  nodeId: string,
  params: Readonly<Record<string, unknown>>,
  schema: z.ZodType,
  rawKeys: readonly string[],
): CompiledParams {
  const templated = Object.fromEntries(Object.entries(params).filter(([key]) => !rawKeys.includes(key)));
  const resolveTemplated = compileValue(templated, nodeId, '');
  const parse = (resolved: unknown): unknown => {
    const parsed = schema.safeParse(resolved);
    if (parsed.success) return parsed.data;
    throw new AppError(EngineErrors.ENGINE_PARAMS_INVALID, `Params of node ${nodeId} are invalid after evaluation`, {
      nodeId,
      issues: parsed.error.issues.map((issue) => ({ path: issue.path.join('.'), message: issue.message })),
    });
  };
  if (resolveTemplated === null) {
    // Cloned first: freezing must not reach into the caller's graph object.
    const value = freezeDeeply(parse(structuredClone(params)));
    return { isStatic: true, value, resolve: () => Promise.resolve(value) };
  }
  return {
    isStatic: false,
    value: undefined,
    async resolve(bindings) {
      const resolved = (await resolveTemplated(bindings)) as Record<string, unknown>;
      for (const key of rawKeys) if (Object.hasOwn(params, key)) resolved[key] = params[key];
      return parse(resolved);
    },
  };
}

/** Static params are shared by every run; a node that mutates them must fail loudly, not leak into the next run. */
function freezeDeeply<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const item of Object.values(value)) freezeDeeply(item);
  }
  return value;
}
