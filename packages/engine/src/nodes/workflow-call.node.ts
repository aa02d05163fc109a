import { z } from 'zod';
import { defineNode } from '../define-node';
import { requireService } from '../node-services';

/** What the host offers nodes to run another workflow of the same workspace. */
export interface WorkflowCallService {
  /**
   * Runs the published version of `workflowId` (it must start with "Called
   * by a workflow") with `input` and resolves with its answer; rejects when
   * the input or output does not fit its fields, or the run fails.
   */
  call(request: { workflowId: string; input: unknown; signal?: AbortSignal }): Promise<unknown>;
}

export const WorkflowCallParams = z.object({
  workflowId: z.uuid().describe('The workflow to run: one of this workspace, starting with "Called by a workflow"'),
  input: z.unknown().optional().describe('What to pass (templates allowed, e.g. {"email": "{{ $input.email }}"}); the node input when left out'),
});
export type WorkflowCallParams = z.infer<typeof WorkflowCallParams>;

/** Runs another workflow as one step and outputs its answer. */
export const workflowCallNode = defineNode({
  type: 'workflow.call',
  version: 1,
  name: 'Call workflow',
  description: "Runs another workflow of this workspace with an input and outputs its respond node's answer.",
  kind: 'action',
  params: WorkflowCallParams,
  ports: { inputs: ['main'], outputs: ['main'] },
  async run({ input, params, services, signal }) {
    const workflows = requireService<WorkflowCallService>(services, 'workflows', 'workflow.call');
    return { output: await workflows.call({ workflowId: params.workflowId, input: params.input === undefined ? input : params.input, signal }) };
  },
});
