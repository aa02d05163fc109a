import { z } from 'zod';
import { defineNode } from '../define-node';
import { castBoolean } from '../expressions';

/** Ports are fixed per node version (the editor draws them from `describe()`), so rules pick among ten. */
export const SWITCH_CASE_PORTS = ['case0', 'case1', 'case2', 'case3', 'case4', 'case5', 'case6', 'case7', 'case8', 'case9'] as const;
const SwitchPort = z.enum([...SWITCH_CASE_PORTS, 'default']);

export const SwitchParams = z.object({
  rules: z
    .array(
      z.object({
        port: z.enum(SWITCH_CASE_PORTS).describe('Output port taken when the expression is true'),
        expression: z.string().min(1).describe('JSONata over the input; truthy as $boolean sees it'),
      }),
    )
    .max(SWITCH_CASE_PORTS.length)
    .describe('Checked in order; the first true rule chooses the port'),
  fallback: SwitchPort.default('default').describe('Port taken when no rule is true'),
});
export type SwitchParams = z.infer<typeof SwitchParams>;

/** Routes the input, unchanged, to the port of the first rule that holds. */
export const switchNode = defineNode({
  type: 'switch',
  version: 1,
  name: 'Switch',
  description: 'Sends the input to the port of the first rule whose JSONata expression is true, else to the fallback port.',
  kind: 'flow',
  params: SwitchParams,
  ports: { inputs: ['main'], outputs: [...SWITCH_CASE_PORTS, 'default'] },
  rawParams: ['rules'],
  prepare: (params, { compileExpression }) =>
    params.rules.map((rule, index) => ({ port: rule.port, expression: compileExpression(rule.expression, `rules[${index}].expression`) })),
  async run({ input, params, prepared, evaluate }) {
    for (const rule of prepared) {
      if (castBoolean(await evaluate(rule.expression, input))) return { output: input, port: rule.port };
    }
    return { output: input, port: params.fallback };
  },
});
