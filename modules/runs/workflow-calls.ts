import { AsyncLocalStorage } from 'node:async_hooks';
import { findFieldProblems, SubworkflowTriggerParams, subworkflowTriggerNode, type WorkflowCallService } from '@weft/engine';
import { AppError } from '@weft/kernel';
import type { CompiledWorkflowCache } from './compiled-workflow-cache';
import { toReply } from './run-webhook';
import { RunErrors } from './runs.errors';
import type { RunsService } from './runs.service';
import type { RunNowRequest, RunNowResult } from './triggered-runs';

/** Deeper chains are almost always a workflow calling itself by mistake. */
export const MAX_CALL_DEPTH = 8;

export interface WorkflowCallsDeps {
  runs: Pick<RunsService, 'requireRunnableWorkflow'>;
  graphs: CompiledWorkflowCache;
  runWorkflowNow(request: RunNowRequest): Promise<RunNowResult>;
}

/**
 * The "Call workflow" node's service, per workspace: the called workflow is
 * looked up in the caller's workspace only, must start with "Called by a
 * workflow", and its input and answer are checked against that trigger's
 * fields. The call depth travels with the async context, so a workflow that
 * calls itself stops with a clear error instead of running forever.
 */
export function createWorkflowCalls(deps: WorkflowCallsDeps) {
  const depth = new AsyncLocalStorage<number>();

  async function readContract(workspaceId: string, workflowId: string): Promise<SubworkflowTriggerParams> {
    const settings = await deps.runs.requireRunnableWorkflow(workspaceId, workflowId);
    const compiled = deps.graphs.peek(settings.publishedVersionId) ?? (await deps.graphs.load(settings.publishedVersionId));
    const trigger = compiled.steps.find((step) => step.node.id === compiled.triggerNodeId)!;
    if (trigger.node.type !== subworkflowTriggerNode.type) {
      throw new AppError(RunErrors.WORKFLOW_NOT_CALLABLE, 'That workflow does not start with "Called by a workflow", so other workflows cannot call it', { workflowId });
    }
    return SubworkflowTriggerParams.parse(trigger.node.params);
  }

  return {
    forWorkspace(workspaceId: string): WorkflowCallService {
      return {
        async call({ workflowId, input }) {
          const current = depth.getStore() ?? 0;
          if (current >= MAX_CALL_DEPTH) {
            throw new AppError(RunErrors.WORKFLOW_CALL_TOO_DEEP, `Workflows called each other more than ${MAX_CALL_DEPTH} levels deep`, { workflowId });
          }
          const contract = await readContract(workspaceId, workflowId);
          const inputProblems = findFieldProblems(contract.inputFields, input);
          if (inputProblems.length > 0) {
            throw new AppError(RunErrors.WORKFLOW_CALL_INPUT_INVALID, `The called workflow's input ${inputProblems.join(', ')}`, { workflowId, problems: inputProblems });
          }
          const result = await depth.run(current + 1, () => deps.runWorkflowNow({ workspaceId, workflowId, triggerKind: 'subworkflow', input }));
          if (result.status !== 'succeeded') {
            throw new AppError(RunErrors.WORKFLOW_CALL_FAILED, `The called workflow ended as ${result.status}${result.error ? `: ${result.error.message}` : ''}`, {
              workflowId,
              runId: result.runId,
            });
          }
          // A respond node answers `{ status, body, headers }` for HTTP; a caller gets the body.
          const answer = toReply(result.response).body ?? null;
          const outputProblems = findFieldProblems(contract.outputFields, answer);
          if (outputProblems.length > 0) {
            throw new AppError(RunErrors.WORKFLOW_CALL_OUTPUT_INVALID, `The called workflow's answer ${outputProblems.join(', ')}`, { workflowId, runId: result.runId, problems: outputProblems });
          }
          return answer;
        },
      };
    },
  };
}
