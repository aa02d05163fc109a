export { EngineErrors } from './engine.errors';
export { NodeId, RetryPolicy, WorkflowEdge, WorkflowGraph, WorkflowNode } from './graph';
export {
  createNodeRegistry,
  defineNode,
  findCredentialType,
  type AnyNodeDefinition,
  type InputJoin,
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
  type ResumeInput,
} from './define-node';
export {
  requireService,
  type CodeFetchRequest,
  type CodeFetchResponse,
  type CodeLogEntry,
  type BotDataService,
  type BotVariableAddress,
  type BotVariableScope,
  type CodeSandbox,
  type DiscordActions,
  type DiscordMethod,
  type DiscordRequest,
  type HttpRequest,
  type HttpResponse,
  type HttpService,
  type MailService,
  type OutgoingMail,
  type RunCodeRequest,
  type RunCodeResult,
  type SmtpSettings,
} from './node-services';
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
export { testNode, type TestNodeInput, type TestNodeResult } from './test-node';
export {
  createMemoryRunStore,
  type MemoryRunStore,
  type RunStore,
  type StepError,
  type StepRecord,
  type StepStatus,
  type StepWait,
} from './run-store';
export { capRecordedOutputs, type TruncatedOutput } from './step-output';
export { CREDENTIAL_SECRETS, REDACTED_MARK, redactValue } from './secret-redaction';
export type { RunWait, Suspension } from './step-suspension';
export { createCodeSandbox, type CodeSandboxOptions, type CodeSandboxPool } from './sandbox/create-code-sandbox';
export { coreNodes, createCoreNodeRegistry } from './nodes/core-nodes';
export { codeNode, CodeParams, type CodeOutput } from './nodes/code.node';
export { conditionNode, ConditionParams } from './nodes/condition.node';
export { delayNode, DelayParams } from './nodes/delay.node';
export { emailSendNode, EmailSendParams } from './nodes/email-send.node';
export { DISCORD_EVENT_TYPES, discordEventTriggerNode, DiscordEventTriggerParams, type DiscordEventType } from './nodes/discord/discord-event-trigger.node';
export { discordNodes } from './nodes/discord/discord-nodes';
export { messageNonce } from './nodes/discord/discord-params';
export { httpRequestNode, HttpRequestParams, type HttpRequestOutput } from './nodes/http-request.node';
export { loopItemsNode, LoopItemsParams, type LoopItemsOutput } from './nodes/loop-items.node';
export { manualTriggerNode } from './nodes/manual-trigger.node';
export { mergeNode, MergeParams } from './nodes/merge.node';
export { respondNode, RespondParams, type RespondOutput } from './nodes/respond.node';
export { SWITCH_CASE_PORTS, switchNode, SwitchParams } from './nodes/switch.node';
export { transformNode, TransformParams } from './nodes/transform.node';
export { waitUntilNode, WaitUntilParams } from './nodes/wait-until.node';
export { waitWebhookNode, WaitWebhookParams } from './nodes/wait-webhook.node';
export { webhookTriggerNode, WebhookTriggerParams } from './nodes/webhook-trigger.node';
export { subworkflowTriggerNode, SubworkflowTriggerParams } from './nodes/subworkflow-trigger.node';
export { workflowCallNode, WorkflowCallParams, type WorkflowCallService } from './nodes/workflow-call.node';
export { findFieldProblems, FieldSpec } from './nodes/subworkflow-fields';
