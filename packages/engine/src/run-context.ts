import { AppError, type Logger } from '@weft/kernel';
import { EngineErrors } from './engine.errors';
import type { CompiledStep } from './compile-workflow';
import type { NodeCredentials, NodeRunContext, NodeServices, ResumeInput } from './define-node';
import type { Sleep } from './execute-run';
import type { CompiledExpression, ExpressionBindings } from './expressions';
import type { WorkflowNode } from './graph';
import type { StepRecord } from './run-store';
import { readCredentialSecrets } from './secret-redaction';

/**
 * Decrypts a node's credential. `credentialType` is the type the node needs
 * with its params (`CompiledStep.credentialType`), for the host to check.
 */
export type LoadCredentials = (node: WorkflowNode, credentialType?: string) => Promise<Record<string, unknown>>;

/** A signal for runs the host cannot cancel: nodes always get a real AbortSignal. */
export const NEVER_ABORTED: AbortSignal = new AbortController().signal;

/** Marks an input that never arrived: `undefined` is a legitimate output. */
export const NOT_REACHED = Symbol('not reached');

/**
 * The mutable state of one run: which port each step fired and with what
 * output. Arrays indexed by step keep the per-step cost to a couple of slots.
 */
export class RunState {
  readonly outputs: Record<string, unknown> = {};
  private readonly firedPorts: (string | undefined)[];
  private readonly firedOutputs: unknown[];

  constructor(
    readonly runId: string,
    readonly triggerOutput: unknown,
    readonly logger: Logger,
    readonly services: NodeServices,
    private readonly loadCredentials: LoadCredentials | undefined,
    stepCount: number,
    readonly sleep: Sleep,
    /** Secret values of the credentials this run loaded: removed from every stored step. */
    readonly secrets: string[] = [],
    /** `$trigger` in expressions. */
    readonly triggerBinding: unknown = triggerOutput,
  ) {
    this.firedPorts = new Array<string | undefined>(stepCount);
    this.firedOutputs = new Array<unknown>(stepCount);
  }

  /**
   * The output of the first upstream step whose edge fired, in edge order;
   * for a node with several input ports, `{ [port]: output }` (see `InputJoin`).
   */
  findInput(step: CompiledStep): unknown {
    if (step.isTrigger) return this.triggerOutput;
    if (step.definition.ports.inputs.length > 1) return this.joinInputs(step);
    for (const edge of step.incoming) {
      if (this.firedPorts[edge.fromStep] === edge.fromPort) return this.firedOutputs[edge.fromStep];
    }
    return NOT_REACHED;
  }

  private joinInputs(step: CompiledStep): unknown {
    const joined: Record<string, unknown> = {};
    let firedPorts = 0;
    for (const edge of step.incoming) {
      if (this.firedPorts[edge.fromStep] !== edge.fromPort || Object.hasOwn(joined, edge.toPort)) continue;
      joined[edge.toPort] = this.firedOutputs[edge.fromStep];
      firedPorts++;
    }
    const isReady = step.inputJoin === 'any-input' ? firedPorts > 0 : firedPorts > 0 && firedPorts === step.connectedInputs.length;
    return isReady ? joined : NOT_REACHED;
  }

  fire(step: CompiledStep, port: string | undefined, output: unknown): void {
    this.firedPorts[step.index] = port;
    this.firedOutputs[step.index] = output;
    this.outputs[step.node.id] = output;
  }

  /** Replays a checkpointed step; a truncated output comes back as its marker. */
  restore(step: CompiledStep, record: StepRecord): void {
    if (record.port !== undefined) this.fire(step, record.port, record.output);
  }

  async fetchCredentials(node: WorkflowNode, credentialType: string | undefined): Promise<Record<string, unknown>> {
    if (this.loadCredentials === undefined || node.credentialId === undefined) {
      throw new AppError(EngineErrors.ENGINE_CREDENTIAL_UNAVAILABLE, `Node ${node.id} has no credential to load`, { nodeId: node.id });
    }
    const fields = credentialType === undefined ? await this.loadCredentials(node) : await this.loadCredentials(node, credentialType);
    for (const secret of readCredentialSecrets(fields)) if (!this.secrets.includes(secret)) this.secrets.push(secret);
    return fields;
  }
}

/**
 * The `context` a node's `run` receives. Built once per step and updated per
 * attempt; the logger, key and bindings are made only if the node asks.
 */
export class StepContext implements NodeRunContext<unknown, unknown> {
  params: unknown = undefined;
  attempt = 1;
  /**
   * Created on first read: most nodes finish without awaiting anything and
   * never look at it, and an AbortController plus timer per step was a large
   * part of a small webhook run's cost.
   */
  private abortController: AbortController | undefined;
  get signal(): AbortSignal {
    return (this.abortController ??= new AbortController()).signal;
  }
  /** Aborts the signal if a node read it; returns whether anyone could be listening. */
  abortWith(reason: unknown): void {
    this.abortController?.abort(reason);
  }
  private childLogger: Logger | undefined;
  private expressionBindings: ExpressionBindings | undefined;

  constructor(
    private readonly run: RunState,
    private readonly step: CompiledStep,
    readonly input: unknown,
    readonly resumed?: ResumeInput,
  ) {}

  get nodeId(): string {
    return this.step.node.id;
  }

  get nodes(): Readonly<Record<string, unknown>> {
    return this.run.outputs;
  }

  get prepared(): unknown {
    return this.step.prepared;
  }

  get services(): NodeServices {
    return this.run.services;
  }

  get idempotencyKey(): string {
    return `${this.run.runId}:${this.step.node.id}`;
  }

  get logger(): Logger {
    this.childLogger ??= this.run.logger.child({ runId: this.run.runId, nodeId: this.step.node.id });
    return this.childLogger;
  }

  get credentials(): NodeCredentials {
    return { get: () => this.run.fetchCredentials(this.step.node, this.step.credentialType) };
  }

  get bindings(): ExpressionBindings {
    this.expressionBindings ??= { input: this.input, nodes: this.run.outputs, trigger: this.run.triggerBinding };
    return this.expressionBindings;
  }

  /** A bound property, not a method, so nodes can destructure it from their context. */
  readonly evaluate = (expression: CompiledExpression, focus: unknown, variables?: Readonly<Record<string, unknown>>): Promise<unknown> =>
    // The run's own bindings win, so `$input` or `$nodes` always mean the same thing.
    expression.evaluate(focus, variables === undefined ? this.bindings : { ...variables, ...this.bindings });

  /** Bound, like `evaluate`. */
  readonly evaluateNow = (expression: CompiledExpression, focus: unknown): unknown => expression.evaluateNow(focus, this.bindings);

  /** Bound, like `evaluate`; rejects as soon as the step is aborted. */
  readonly sleep = (ms: number): Promise<void> => this.run.sleep(ms, this.signal);
}
