import { z } from 'zod';
import { defineNode } from '../define-node';

/** Started by a person or an API call; the payload they send is the output. */
export const manualTriggerNode = defineNode({
  type: 'trigger.manual',
  version: 1,
  name: 'Manual trigger',
  description: 'Starts the workflow on demand with the payload given.',
  kind: 'trigger',
  params: z.object({}),
  ports: { inputs: [], outputs: ['main'] },
  run: ({ input }) => ({ output: input }),
});
