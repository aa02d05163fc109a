import { AppError } from '@weft/kernel';
import { EngineErrors } from './engine.errors';
import jsonata from 'jsonata';
import { compileFastPath, UNRESOLVED, type FastEvaluator } from './expression-fast-path';

/** Variables every expression sees besides its focus (`$`). */
export interface ExpressionBindings {
  readonly input: unknown;
  readonly nodes: Readonly<Record<string, unknown>>;
  readonly trigger: unknown;
}

/** Where an expression sits, so an error can point the editor at it. */
export interface ExpressionSite {
  readonly nodeId: string;
  readonly param: string;
}

export interface CompiledExpression {
  readonly source: string;
  evaluate(focus: unknown, bindings: ExpressionBindings): Promise<unknown>;
  /**
   * The value when it can be had without waiting (the synchronous fast path
   * answers), else `EVALUATE_LATER`: then call `evaluate`. Same result either way.
   */
  evaluateNow(focus: unknown, bindings: ExpressionBindings): unknown;
}

/** What `evaluateNow` answers when only the asynchronous evaluator can tell. */
export const EVALUATE_LATER: typeof UNRESOLVED = UNRESOLVED;

/**
 * One runaway expression must not stall every run in the process: JSONata
 * checks these guardrails at each evaluation step.
 */
const GUARDRAILS = { timeout: 1000, stack: 1000 } as const;

interface JsonataFailure {
  message?: string;
  position?: number;
}

function describeFailure(error: unknown): { message: string; position: number | null } {
  const failure = (typeof error === 'object' && error !== null ? error : {}) as JsonataFailure;
  return {
    message: typeof failure.message === 'string' ? failure.message : String(error),
    position: typeof failure.position === 'number' ? failure.position : null,
  };
}

/** A `{{ expr }}` wrapper is optional where a field is an expression by definition. */
function unwrapBraces(source: string): string {
  const trimmed = source.trim();
  return trimmed.startsWith('{{') && trimmed.endsWith('}}') ? trimmed.slice(2, -2) : source;
}

/**
 * Compiles a JSONata expression once. Throws ENGINE_EXPRESSION_INVALID with
 * `{ nodeId, param, expression, position }`; evaluation failures become
 * ENGINE_EXPRESSION_FAILED with the same details.
 */
export function compileExpression(source: string, site: ExpressionSite): CompiledExpression {
  const expression = unwrapBraces(source);
  let compiled: jsonata.Expression;
  try {
    compiled = jsonata(expression, GUARDRAILS);
  } catch (error) {
    const { message, position } = describeFailure(error);
    throw new AppError(EngineErrors.ENGINE_EXPRESSION_INVALID, `Invalid expression in ${site.param}: ${message}`, {
      nodeId: site.nodeId,
      param: site.param,
      expression,
      position,
    });
  }
  return new JsonataExpression(expression, site, compiled, compileFastPath(compiled.ast() as Parameters<typeof compileFastPath>[0]));
}

class JsonataExpression implements CompiledExpression {
  constructor(
    readonly source: string,
    private readonly site: ExpressionSite,
    private readonly compiled: jsonata.Expression,
    private readonly fast: FastEvaluator | null,
  ) {}

  evaluateNow(focus: unknown, bindings: ExpressionBindings): unknown {
    return this.fast === null ? EVALUATE_LATER : this.fast(focus, bindings);
  }

  async evaluate(focus: unknown, bindings: ExpressionBindings): Promise<unknown> {
    if (this.fast !== null) {
      const found = this.fast(focus, bindings);
      if (found !== UNRESOLVED) return found;
    }
    try {
      return await this.compiled.evaluate(focus, bindings);
    } catch (error) {
      const { message, position } = describeFailure(error);
      throw new AppError(EngineErrors.ENGINE_EXPRESSION_FAILED, `Expression in ${this.site.param} failed: ${message}`, {
        nodeId: this.site.nodeId,
        param: this.site.param,
        expression: this.source,
        position,
      });
    }
  }
}

/** JSONata's own truthiness (`$boolean`), so a condition means what the editor's preview shows. */
export function castBoolean(value: unknown): boolean {
  if (value === null || value === undefined) return false;
  if (Array.isArray(value)) return value.some(castBoolean);
  switch (typeof value) {
    case 'string':
      return value.length > 0;
    case 'number':
      return value !== 0;
    case 'boolean':
      return value;
    case 'object':
      return Object.keys(value).length > 0;
    default:
      return false;
  }
}
