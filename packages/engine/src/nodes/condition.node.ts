import { z } from 'zod';
import { defineNode } from '../define-node';
import { castBoolean } from '../expressions';

export const ConditionParams = z.object({
  /** JSONata evaluated against the input; truthy as JSONata's `$boolean` sees it. */
  expression: z.string().min(1).describe('JSONata over the input; truthy as $boolean sees it sends the input to "true"'),
});
export type ConditionParams = z.infer<typeof ConditionParams>;

/** Routes the input, unchanged, to port `true` or `false`. */
export const conditionNode = defineNode({
  type: 'condition',
  version: 1,
  name: 'Condition',
  description: 'Sends the input to "true" or "false" depending on a JSONata expression.',
  kind: 'flow',
  params: ConditionParams,
  ports: { inputs: ['main'], outputs: ['true', 'false'] },
  rawParams: ['expression'],
  prepare: (params, { compileExpression }) => compileExpression(params.expression, 'expression'),
  async run({ input, prepared, evaluate }) {
    const isTrue = castBoolean(await evaluate(prepared, input));
    return { output: input, port: isTrue ? 'true' : 'false' };
  },
});
