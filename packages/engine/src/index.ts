export { EngineErrors } from './engine.errors';
export { NodeId, RetryPolicy, WorkflowEdge, WorkflowGraph, WorkflowNode } from './graph';
export {
  createNodeRegistry,
  defineNode,
  type AnyNodeDefinition,
  type NodeCredentials,
  type NodeDefinition,
  type NodeDescription,
  type NodeKind,
  type NodePorts,
  type NodeRegistry,
  type NodeResult,
  type NodeRunContext,
  type NodeServices,
  type NodeSpec,
  type PrepareTools,
} from './define-node';
export {
  castBoolean,
  compileExpression,
  type CompiledExpression,
  type ExpressionBindings,
  type ExpressionSite,
} from './expressions';
export {
  validateGraph,
  type GraphProblem,
  type GraphProblemCode,
  type ValidateGraphOptions,
} from './validate-graph';
export {
  compileWorkflow,
  type CompiledStep,
  type CompiledWorkflow,
  type CompileWorkflowOptions,
  type IncomingEdge,
  type OutgoingEdge,
} from './compile-workflow';
export {
  DEFAULT_MAX_OUTPUT_BYTES,
  executeRun,
  type ExecuteRunOptions,
  type RunOutcome,
  type RunStatus,
  type Sleep,
} from './execute-run';
export type { LoadCredentials } from './run-context';
export {
  createMemoryRunStore,
  type MemoryRunStore,
  type RunStore,
  type StepError,
  type StepRecord,
  type StepStatus,
} from './run-store';
export type { TruncatedOutput } from './step-output';
export { coreNodes, createCoreNodeRegistry } from './nodes/core-nodes';
export { conditionNode, ConditionParams } from './nodes/condition.node';
export { manualTriggerNode } from './nodes/manual-trigger.node';
export { respondNode, RespondParams, type RespondOutput } from './nodes/respond.node';
export { transformNode, TransformParams } from './nodes/transform.node';
export { webhookTriggerNode, WebhookTriggerParams } from './nodes/webhook-trigger.node';
