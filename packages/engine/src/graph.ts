import { z } from 'zod';

/** Node ids appear in expressions (`$nodes.<id>`), URLs and log lines, so they stay short and plain. */
export const NodeId = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'Node ids are 1–64 letters, digits, "_" or "-"');
export type NodeId = z.infer<typeof NodeId>;

const PortName = z.string().min(1).max(64);

export const RetryPolicy = z.object({
  attempts: z.number().int().min(1).max(10),
  backoffMs: z.number().int().min(0).max(3_600_000),
  maxBackoffMs: z.number().int().min(0).max(3_600_000),
});
export type RetryPolicy = z.infer<typeof RetryPolicy>;

export const WorkflowNode = z.object({
  id: NodeId,
  type: z.string().min(1).max(200),
  version: z.number().int().min(1),
  name: z.string().max(200),
  params: z.record(z.string(), z.unknown()),
  credentialId: z.string().min(1).max(200).optional(),
  position: z.object({ x: z.number(), y: z.number() }),
  disabled: z.boolean().optional(),
  retry: RetryPolicy.optional(),
  timeoutMs: z.number().int().min(1).max(86_400_000).optional(),
});
export type WorkflowNode = z.infer<typeof WorkflowNode>;

export const WorkflowEdge = z.object({
  from: NodeId,
  fromPort: PortName,
  to: NodeId,
  toPort: PortName,
});
export type WorkflowEdge = z.infer<typeof WorkflowEdge>;

/** The stored, editor-facing form of a workflow. Limits keep validation and compilation bounded. */
export const WorkflowGraph = z.object({
  nodes: z.array(WorkflowNode).max(2000),
  edges: z.array(WorkflowEdge).max(10_000),
});
export type WorkflowGraph = z.infer<typeof WorkflowGraph>;
