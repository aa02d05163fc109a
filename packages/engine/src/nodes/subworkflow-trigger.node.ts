import { z } from 'zod';
import { defineNode } from '../define-node';
import { FieldSpecs } from './subworkflow-fields';

export const SubworkflowTriggerParams = z.object({
  inputFields: FieldSpecs.describe('What callers must pass; checked before the sub-workflow starts'),
  outputFields: FieldSpecs.describe('What the sub-workflow answers (its respond node); checked before the caller gets it'),
});
export type SubworkflowTriggerParams = z.infer<typeof SubworkflowTriggerParams>;

/**
 * Makes a workflow callable from other workflows of its workspace (the
 * "Call workflow" node). Its input and output fields are its contract: the
 * host checks both, so a caller gets a clear error instead of a half-run.
 */
export const subworkflowTriggerNode = defineNode({
  type: 'trigger.subworkflow',
  version: 1,
  name: 'Called by a workflow',
  description: 'Starts the workflow when another workflow calls it; the respond node gives the answer back.',
  kind: 'trigger',
  params: SubworkflowTriggerParams,
  ports: { inputs: [], outputs: ['main'] },
  run: ({ input }) => ({ output: input }),
});
