import type { Logger } from '@weft/kernel';
import { z } from 'zod';
import type { CompiledExpression } from './expressions';
import type { CodeSandbox, HttpService, MailService } from './node-services';

export type NodeKind = 'trigger' | 'action' | 'flow';

export interface NodePorts {
  readonly inputs: readonly string[];
  readonly outputs: readonly string[];
}

/**
 * What the host hands every node. The core nodes use `http`, `mail` and
 * `sandbox` (see README "Wiring a host"); integrations add their own, typed by
 * augmentation: `declare module '@weft/engine' { interface NodeServices { slack: SlackClient } }`.
 */
export interface NodeServices {
  readonly [name: string]: unknown;
  /** Outbound HTTP behind the host's egress rules: the HTTP node, OAuth2 tokens, the code node's `fetch`. */
  readonly http?: HttpService;
  /** Sends the email node's mail, through its SMTP credential or the instance mailer. */
  readonly mail?: MailService;
  /** Runs the code node; `createCodeSandbox(…)` or one of its `forKey(workspace)` views. */
  readonly sandbox?: CodeSandbox;
}

/**
 * When a node with several input ports runs: once every connected port fired
 * (`all-inputs`), or as soon as one did (`any-input`). Either way it runs once,
 * after all its upstream steps, with `input` = `{ [port]: output }` of the ports that fired.
 */
export type InputJoin = 'all-inputs' | 'any-input';

/** How the host resumes a waiting step (see `ExecuteRunOptions.resumeInput`). */
export interface ResumeInput {
  readonly nodeId: string;
  /** The callback's body, for `cause: 'callback'`. */
  readonly payload?: unknown;
  /** `callback`: the callback URL was called; `time`: `resumeAt` passed. Default `callback`. */
  readonly cause?: 'callback' | 'time';
}

export interface NodeCredentials {
  /** Decrypted on demand so a node that never needs its secret never loads it. */
  get(): Promise<Record<string, unknown>>;
}

export interface NodeRunContext<Params, Prepared> {
  readonly nodeId: string;
  /** Resolved: `{{ }}` templates evaluated, defaults applied, checked by the node's schema. */
  readonly params: Params;
  /** The upstream node's output, or the trigger payload for a trigger. */
  readonly input: unknown;
  /** Outputs of every finished node, keyed by node id. Treat as read-only. */
  readonly nodes: Readonly<Record<string, unknown>>;
  /** What `prepare` returned when the workflow was compiled. */
  readonly prepared: Prepared;
  readonly logger: Logger;
  readonly signal: AbortSignal;
  /** `${runId}:${nodeId}`: the same on every attempt and on resume, for side-effecting calls. */
  readonly idempotencyKey: string;
  /** 1 on the first try, then 2, 3… under the node's retry policy. */
  readonly attempt: number;
  readonly credentials: NodeCredentials;
  readonly services: NodeServices;
  /**
   * Evaluates a compiled expression against `focus` (`$`), with the run's
   * `$input`, `$nodes` and `$trigger`, plus `variables` (`{ item }` binds `$item`).
   */
  evaluate(expression: CompiledExpression, focus: unknown, variables?: Readonly<Record<string, unknown>>): Promise<unknown>;
  /**
   * `evaluate` without waiting, for nodes that can answer synchronously (no
   * promise, no timer per step on the hot path): the value, or
   * `EVALUATE_LATER` when only `evaluate` can tell.
   */
  evaluateNow(expression: CompiledExpression, focus: unknown): unknown;
  /** Waits `ms`, rejecting when the step is aborted; the host's injected `sleep` in tests. Always set by the executor. */
  readonly sleep?: (ms: number) => Promise<void>;
  /** Set when a waiting step (`canSuspend`) is resumed: `run` is called again with it. */
  readonly resumed?: ResumeInput;
}

/**
 * What `run` may return: `{ output, port? }`, or any other value as the output
 * itself on the first output port. An object whose only keys are `output` and
 * `port` is always read as the first form, so return `{ output: value }` when
 * the value itself could look like that.
 */
export interface NodeResult {
  readonly output: unknown;
  readonly port?: string;
}

export interface PrepareTools {
  /** Compiles a JSONata expression found at `param` (dotted path); a `{{ }}` wrapper is optional. */
  compileExpression(source: string, param: string): CompiledExpression;
}

export interface NodeSpec<Schema extends z.ZodType, Prepared> {
  type: string;
  version: number;
  name: string;
  description: string;
  kind: NodeKind;
  params: Schema;
  ports: NodePorts;
  /** Side-effecting nodes should pass `idempotencyKey` to whatever they call. */
  hasSideEffects?: boolean;
  credentialType?: string;
  /** Every credential type the node can use, for the editor, when it accepts more than one. */
  credentialTypes?: readonly string[];
  /**
   * The credential type these params need, or undefined for none; overrides
   * `credentialType` for validation and for the host's `LoadCredentials`.
   * Read the params as stored (templates unevaluated).
   */
  selectCredentialType?(params: z.input<Schema>): string | undefined;
  /** For nodes with several input ports; `all-inputs` when absent. Read from the params as stored. */
  selectInputJoin?(params: z.input<Schema>): InputJoin;
  /**
   * `run` may return `{ suspend: { resumeAt?: Date, callbackToken?: string } }`:
   * the step is saved as `waiting` and the run returns status `waiting`. When
   * the host resumes it, `run` is called again with `context.resumed`.
   */
  canSuspend?: boolean;
  /** The output of this node is the run's response (e.g. a sync webhook reply). */
  isResponse?: boolean;
  /** Params the node reads as written, without `{{ }}` evaluation; usually the ones `prepare` compiles. */
  rawParams?: readonly string[];
  /**
   * Runs once per compiled workflow with the params as stored; values outside
   * `rawParams` may still be `{{ }}` templates here. The result reaches every
   * run as `context.prepared`.
   */
  prepare?(params: z.input<Schema>, tools: PrepareTools): Prepared;
  run(context: NodeRunContext<z.output<Schema>, Prepared>): unknown;
}

export interface NodeDefinition<Schema extends z.ZodType = z.ZodType, Prepared = unknown>
  extends Readonly<Omit<NodeSpec<Schema, Prepared>, 'hasSideEffects' | 'isResponse' | 'rawParams'>> {
  readonly hasSideEffects: boolean;
  readonly isResponse: boolean;
  readonly rawParams: readonly string[];
}

/**
 * Any definition, whatever its params and prepared types; what registries
 * hold. Assignable because `run` and `prepare` are declared as methods.
 */
export type AnyNodeDefinition = NodeDefinition<z.ZodType, unknown>;

const TYPE_PATTERN = /^[a-z][a-z0-9-]*(\.[a-z][a-z0-9-]*)*$/;

export function defineNode<Schema extends z.ZodType, Prepared = undefined>(
  spec: NodeSpec<Schema, Prepared>,
): NodeDefinition<Schema, Prepared> {
  if (!TYPE_PATTERN.test(spec.type)) throw new Error(`Node type "${spec.type}" must be dotted lowercase words`);
  if (!Number.isInteger(spec.version) || spec.version < 1) throw new Error(`Node ${spec.type}: version must be ≥ 1`);
  if (spec.kind === 'trigger' && spec.ports.inputs.length > 0) {
    throw new Error(`Node ${spec.type}: a trigger has no input ports`);
  }
  for (const list of [spec.ports.inputs, spec.ports.outputs]) {
    if (new Set(list).size !== list.length) throw new Error(`Node ${spec.type}: duplicate port name`);
  }
  return Object.freeze({
    ...spec,
    ports: Object.freeze({ inputs: Object.freeze([...spec.ports.inputs]), outputs: Object.freeze([...spec.ports.outputs]) }),
    hasSideEffects: spec.hasSideEffects ?? false,
    isResponse: spec.isResponse ?? false,
    rawParams: Object.freeze([...(spec.rawParams ?? [])]),
  });
}

/** What the editor and the assistant need to know about a node type. */
export interface NodeDescription {
  readonly type: string;
  readonly version: number;
  readonly name: string;
  readonly description: string;
  readonly kind: NodeKind;
  readonly ports: NodePorts;
  readonly hasSideEffects: boolean;
  readonly isResponse: boolean;
  readonly credentialType?: string;
  /** Present when the node accepts several credential types (chosen by its params). */
  readonly credentialTypes?: readonly string[];
  /** Present (true) when the node can make the run wait (durable waits). */
  readonly canSuspend?: boolean;
  /** Params read as stored rather than as `{{ }}` templates (e.g. a transform's JSONata mapping): editors treat them as expressions. */
  readonly rawParams?: readonly string[];
  readonly params: Record<string, unknown>;
}

export interface NodeRegistry {
  get(type: string, version: number): AnyNodeDefinition | undefined;
  list(): readonly AnyNodeDefinition[];
  describe(): readonly NodeDescription[];
}

export function createNodeRegistry(definitions: readonly AnyNodeDefinition[]): NodeRegistry {
  const byKey = new Map<string, AnyNodeDefinition>();
  for (const definition of definitions) {
    const key = `${definition.type}@${definition.version}`;
    if (byKey.has(key)) throw new Error(`Node ${key} is registered twice`);
    byKey.set(key, definition);
  }
  const list = Object.freeze([...byKey.values()]);
  let descriptions: readonly NodeDescription[] | undefined;
  return {
    get: (type, version) => byKey.get(`${type}@${version}`),
    list: () => list,
    describe() {
      descriptions ??= Object.freeze(list.map(describeNode));
      return descriptions;
    },
  };
}

function describeNode(definition: AnyNodeDefinition): NodeDescription {
  return {
    type: definition.type,
    version: definition.version,
    name: definition.name,
    description: definition.description,
    kind: definition.kind,
    ports: definition.ports,
    hasSideEffects: definition.hasSideEffects,
    isResponse: definition.isResponse,
    ...(definition.credentialType === undefined ? {} : { credentialType: definition.credentialType }),
    ...(definition.credentialTypes === undefined ? {} : { credentialTypes: definition.credentialTypes }),
    ...(definition.canSuspend ? { canSuspend: true } : {}),
    ...(definition.rawParams.length > 0 ? { rawParams: definition.rawParams } : {}),
    params: z.toJSONSchema(definition.params, { io: 'input', unrepresentable: 'any' }) as Record<string, unknown>,
  };
}

/**
 * The credential type a node with these (stored) params needs, or undefined
 * when it needs none. Malformed params need none here: the validator reports
 * them on their own.
 */
export function findCredentialType(definition: AnyNodeDefinition, params: Readonly<Record<string, unknown>>): string | undefined {
  if (definition.selectCredentialType === undefined) return definition.credentialType;
  try {
    return definition.selectCredentialType(params);
  } catch {
    return undefined;
  }
}
