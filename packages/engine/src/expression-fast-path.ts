import type jsonata from 'jsonata';
import type { ExpressionBindings } from './expressions';

/** What a fast evaluator answers when JSONata itself must decide (missing keys, arrays, mixed types…). */
export const UNRESOLVED: unique symbol = Symbol('unresolved');

export type FastEvaluator = (focus: unknown, bindings: ExpressionBindings) => unknown;

type Node = jsonata.ExprNode & { lhs?: Node; rhs?: Node; expression?: Node; steps?: Node[] };

const BOUND_VARIABLES = new Set(['input', 'nodes', 'trigger']);
const ARITHMETIC = new Set(['+', '-', '*', '/', '%']);
const COMPARISON = new Set(['=', '!=', '<', '<=', '>', '>=']);

/** Only nodes with exactly these keys are understood; anything more (predicates, groups, focus…) goes to JSONata. */
function hasOnlyKeys(node: object, keys: readonly string[]): boolean {
  const own = Object.keys(node);
  return own.length === keys.length && own.every((key) => keys.includes(key));
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Arrays, missing keys and functions behave as sequences in JSONata: left to it. */
function settle(value: unknown): unknown {
  return Array.isArray(value) || value === undefined || typeof value === 'function' ? UNRESOLVED : value;
}

function compilePath(node: Node): FastEvaluator | null {
  const steps = node.steps;
  if (!hasOnlyKeys(node, ['type', 'steps']) || steps === undefined || steps.length === 0) return null;
  let root: ((focus: unknown, bindings: ExpressionBindings) => unknown) | null = null;
  const names: string[] = [];
  for (const [index, step] of steps.entries()) {
    if (!hasOnlyKeys(step, ['type', 'value', 'position']) || typeof step.value !== 'string') return null;
    if (step.type === 'variable' && index === 0 && BOUND_VARIABLES.has(step.value)) {
      const name = step.value as keyof ExpressionBindings;
      root = (_focus, bindings) => bindings[name];
    } else if (step.type === 'name') {
      names.push(step.value);
    } else {
      return null;
    }
  }
  const start = root ?? ((focus: unknown) => focus);
  return (focus, bindings) => {
    let current = start(focus, bindings);
    for (const name of names) {
      if (!isPlainObject(current) || !Object.hasOwn(current, name)) return UNRESOLVED;
      current = current[name];
    }
    return settle(current);
  };
}

function operate(operator: string, left: unknown, right: unknown): unknown {
  if (typeof left === 'number' && typeof right === 'number') {
    if (ARITHMETIC.has(operator)) {
      const result = operator === '+' ? left + right : operator === '-' ? left - right : operator === '*' ? left * right : operator === '/' ? left / right : left % right;
      // JSONata raises an error for a non-finite result: let it.
      return Number.isFinite(result) ? result : UNRESOLVED;
    }
  }
  if (operator === '&') return typeof left === 'string' && typeof right === 'string' ? left + right : UNRESOLVED;
  if (COMPARISON.has(operator) && typeof left === typeof right && (typeof left === 'number' || typeof left === 'string' || (typeof left === 'boolean' && (operator === '=' || operator === '!=')))) {
    const [a, b] = [left as number | string, right as number | string];
    switch (operator) {
      case '=':
        return a === b;
      case '!=':
        return a !== b;
      case '<':
        return a < b;
      case '<=':
        return a <= b;
      case '>':
        return a > b;
      default:
        return a >= b;
    }
  }
  if ((operator === 'and' || operator === 'or') && typeof left === 'boolean' && typeof right === 'boolean') return operator === 'and' ? left && right : left || right;
  return UNRESOLVED;
}

/**
 * A synchronous evaluator for the small part of JSONata that mappings use
 * most — field paths (also from `$input`, `$nodes`, `$trigger`), literals,
 * arithmetic, `&` on strings, comparisons — or null when the expression uses
 * anything else. It answers exactly what JSONata would, or UNRESOLVED so that
 * JSONata evaluates it: mixed types, missing fields, arrays and errors are
 * always JSONata's to handle.
 */
export function compileFastPath(node: Node): FastEvaluator | null {
  switch (node.type as string) {
    case 'number':
    case 'string':
    case 'value': {
      if (!hasOnlyKeys(node, ['type', 'value', 'position'])) return null;
      const value = node.value as unknown;
      return () => value;
    }
    case 'variable':
      return node.value === '' && hasOnlyKeys(node, ['type', 'value', 'position']) ? (focus) => settle(focus) : null;
    case 'path':
      return compilePath(node);
    case 'unary': {
      if (node.value !== '-' || !hasOnlyKeys(node, ['type', 'value', 'position', 'expression']) || !node.expression) return null;
      const operand = compileFastPath(node.expression);
      if (operand === null) return null;
      return (focus, bindings) => {
        const value = operand(focus, bindings);
        return typeof value === 'number' ? -value : UNRESOLVED;
      };
    }
    case 'binary': {
      if (!hasOnlyKeys(node, ['type', 'value', 'position', 'lhs', 'rhs']) || !node.lhs || !node.rhs) return null;
      const operator = String(node.value);
      if (!ARITHMETIC.has(operator) && !COMPARISON.has(operator) && operator !== '&' && operator !== 'and' && operator !== 'or') return null;
      const [left, right] = [compileFastPath(node.lhs), compileFastPath(node.rhs)];
      if (left === null || right === null) return null;
      return (focus, bindings) => {
        const a = left(focus, bindings);
        if (a === UNRESOLVED) return UNRESOLVED;
        const b = right(focus, bindings);
        return b === UNRESOLVED ? UNRESOLVED : operate(operator, a, b);
      };
    }
    default:
      return null;
  }
}
