import type { Logger } from '@weft/kernel';
import { z } from 'zod';
import type { CompiledExpression } from './expressions';

export type NodeKind = 'trigger' | 'action' | 'flow';

export interface NodePorts {
  readonly inputs: readonly string[];
  readonly outputs: readonly string[];
}

/**
 * What the host hands every node (an HTTP client, …). Hosts type it by
 * augmentation: `declare module '@weft/engine' { interface NodeServices { http: HttpClient } }`.
 */
export interface NodeServices {
  readonly [name: string]: unknown;
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
  /** Evaluates a compiled expression against `focus` (`$`), with the run's `$input`, `$nodes` and `$trigger`. */
  evaluate(expression: CompiledExpression, focus: unknown): Promise<unknown>;
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
    params: z.toJSONSchema(definition.params, { io: 'input', unrepresentable: 'any' }) as Record<string, unknown>,
  };
}
