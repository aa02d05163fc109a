import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useMemo, useState } from 'react';
import { queryKeys } from '../api/query-keys';
import { isRunFinished, runsApi, type RunView } from '../api/runs.api';
import type { WorkflowGraph } from '../api/workflows.api';
import { deriveNodeRunStates, type NodeRunState } from './run-states';

/** Fast enough to see steps light up one after the other; only while the run is in progress. */
const LIVE_POLL_MS = 300;
const WAITING_POLL_MS = 5000;
const FIND_RUN_ATTEMPTS = 10;

export interface WebhookTestReply {
  status: number;
  body: string;
  contentType: string | null;
}

async function listRunIds(workspaceSlug: string, workflowId: string): Promise<Set<string>> {
  const page = await runsApi.listRuns(workspaceSlug, { workflowId });
  return new Set(page.items.map((item) => item.id));
}

/**
 * The run the editor follows: started from the editor (a manual run or a test
 * request to the webhook), polled every 300 ms while it runs, and turned into
 * a state per node for the canvas.
 */
export function useEditorRun(workspaceSlug: string, workflowId: string, graph: WorkflowGraph) {
  const queryClient = useQueryClient();
  const [runId, setRunId] = useState<string | null>(null);
  const [reply, setReply] = useState<WebhookTestReply | null>(null);

  const run = useQuery({
    queryKey: queryKeys.run(workspaceSlug, runId ?? ''),
    queryFn: () => runsApi.findRun(workspaceSlug, runId!),
    enabled: runId !== null,
    refetchInterval: (query) => {
      const status = query.state.data?.status;
      if (!status || status === 'queued' || status === 'running') return LIVE_POLL_MS;
      return status === 'waiting' ? WAITING_POLL_MS : false;
    },
  });

  const follow = (id: string) => {
    setRunId(id);
    // The last run feeds "test this node" and autocomplete: they see this one next.
    void queryClient.invalidateQueries({ queryKey: queryKeys.runs(workspaceSlug) });
    void queryClient.invalidateQueries({ queryKey: [...queryKeys.workflow(workspaceSlug, workflowId), 'last-run'] });
  };

  const startManual = useMutation({
    mutationFn: (input: unknown) => runsApi.startRun(workspaceSlug, workflowId, input),
    onMutate: () => setReply(null),
    onSuccess: ({ runId: id }) => follow(id),
  });

  /**
   * POSTs to the public webhook as a caller would. The reply does not name the
   * run, so the run is the newest one of this workflow that was not there before.
   */
  const sendWebhook = useMutation({
    mutationFn: async (request: { url: string; method: string; body: string }) => {
      const before = await listRunIds(workspaceSlug, workflowId);
      const hasBody = request.method !== 'GET' && request.body.trim() !== '';
      const response = await fetch(request.url, {
        method: request.method,
        headers: hasBody ? { 'content-type': 'application/json' } : {},
        body: hasBody ? request.body : undefined,
        credentials: 'omit',
      });
      const answer = { status: response.status, body: await response.text(), contentType: response.headers.get('content-type') };
      setReply(answer);
      for (let attempt = 0; attempt < FIND_RUN_ATTEMPTS; attempt++) {
        const page = await runsApi.listRuns(workspaceSlug, { workflowId });
        const started = page.items.find((item) => !before.has(item.id));
        if (started) return { reply: answer, runId: started.id };
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
      return { reply: answer, runId: null };
    },
    onMutate: () => setReply(null),
    onSuccess: ({ runId: id }) => id && follow(id),
  });

  const data: RunView | undefined = runId ? run.data : undefined;
  const nodeStates = useMemo<ReadonlyMap<string, NodeRunState>>(() => (data ? deriveNodeRunStates(data, graph) : new Map()), [data, graph]);

  return {
    runId,
    run: data ?? null,
    runError: run.error,
    isLive: data ? !isRunFinished(data.status) : runId !== null,
    nodeStates,
    reply,
    startManual,
    sendWebhook,
    clear: () => {
      setRunId(null);
      setReply(null);
    },
  };
}

export type EditorRun = ReturnType<typeof useEditorRun>;
