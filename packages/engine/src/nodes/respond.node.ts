import { z } from 'zod';
import { defineNode } from '../define-node';

export const RespondParams = z.object({
  status: z.number().int().min(100).max(599).default(200).describe('HTTP status of the reply'),
  /** Any JSON, `{{ }}` templates included; the input when absent. */
  body: z.unknown().optional().describe('Any JSON, templates included; the input when absent'),
  headers: z.record(z.string().min(1).max(200), z.string().max(8192)).optional().describe('Reply headers'),
});
export type RespondParams = z.infer<typeof RespondParams>;

export interface RespondOutput {
  readonly status: number;
  readonly body: unknown;
  readonly headers: Record<string, string>;
}

/**
 * Sets the run's response (a sync webhook's HTTP reply). The flow may go on
 * after it; the last respond node to finish wins.
 */
export const respondNode = defineNode({
  type: 'respond',
  version: 1,
  name: 'Respond',
  description: 'Sets the reply of the run: status, body and headers.',
  kind: 'action',
  params: RespondParams,
  ports: { inputs: ['main'], outputs: ['main'] },
  isResponse: true,
  run({ params, input }) {
    const output: RespondOutput = {
      status: params.status,
      body: params.body === undefined ? input : params.body,
      headers: params.headers ?? {},
    };
    return { output };
  },
});
