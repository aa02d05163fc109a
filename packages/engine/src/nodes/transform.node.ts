import { z } from 'zod';
import { defineNode, type NodeRunContext } from '../define-node';
import { EVALUATE_LATER, type CompiledExpression } from '../expressions';

const FieldName = z.string().min(1).max(200);

export const TransformParams = z.object({
  /** Output field → JSONata expression evaluated against the source. */
  mapping: z.record(FieldName, z.string().min(1)).describe('Output field → JSONata expression over the source'),
  /** JSONata expression selecting what the mapping reads, e.g. `body` after a webhook. */
  source: z.string().min(1).default('$').describe('JSONata selecting what the mapping reads, e.g. "body" after a webhook'),
});
export type TransformParams = z.infer<typeof TransformParams>;

/** Builds a new object from the input, one JSONata expression per field. */
export const transformNode = defineNode({
  type: 'transform',
  version: 1,
  name: 'Transform',
  description: 'Builds an object whose fields are JSONata expressions over the input.',
  kind: 'action',
  params: TransformParams,
  ports: { inputs: ['main'], outputs: ['main'] },
  rawParams: ['mapping', 'source'],
  prepare: (params, { compileExpression }) => ({
    source: compileExpression(params.source ?? '$', 'source'),
    fields: Object.entries(params.mapping).map(([field, expression]) => {
      // zod drops this key silently, so it is refused here rather than set as a prototype at run time.
      if (field === '__proto__') throw new Error('"__proto__" cannot be a field name');
      return [field, compileExpression(expression, `mapping.${field}`)] as const;
    }),
  }),
  run(context) {
    const now = transformNow(context.prepared, context.input, context.evaluateNow);
    return now === EVALUATE_LATER ? transformLater(context.prepared, context.input, context.evaluate) : { output: now };
  },
});

interface PreparedTransform {
  readonly source: CompiledExpression;
  readonly fields: readonly (readonly [string, CompiledExpression])[];
}

/**
 * Most mappings are plain paths and arithmetic, which the fast path answers
 * synchronously: the step then costs no promise. Expressions have no side
 * effects, so giving up half-way and evaluating again later changes nothing.
 */
function transformNow(prepared: PreparedTransform, input: unknown, evaluateNow: NodeRunContext<unknown, unknown>['evaluateNow']): Record<string, unknown> | typeof EVALUATE_LATER {
  const focus = evaluateNow(prepared.source, input);
  if (focus === EVALUATE_LATER) return EVALUATE_LATER;
  const output: Record<string, unknown> = {};
  for (const [field, expression] of prepared.fields) {
    const value = evaluateNow(expression, focus);
    if (value === EVALUATE_LATER) return EVALUATE_LATER;
    // JSONata's object constructor drops undefined values too.
    if (value !== undefined) output[field] = value;
  }
  return output;
}

async function transformLater(prepared: PreparedTransform, input: unknown, evaluate: NodeRunContext<unknown, unknown>['evaluate']): Promise<{ output: Record<string, unknown> }> {
  const focus = await evaluate(prepared.source, input);
  const output: Record<string, unknown> = {};
  for (const [field, expression] of prepared.fields) {
    const value = await evaluate(expression, focus);
    if (value !== undefined) output[field] = value;
  }
  return { output };
}
