import { z } from 'zod';
import { defineNode } from '../define-node';

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
  async run({ input, prepared, evaluate }) {
    const focus = await evaluate(prepared.source, input);
    const output: Record<string, unknown> = {};
    for (const [field, expression] of prepared.fields) {
      const value = await evaluate(expression, focus);
      // JSONata's object constructor drops undefined values too.
      if (value !== undefined) output[field] = value;
    }
    return { output };
  },
});
