import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useCallback, useMemo, useRef, useState } from 'react';
import { queryKeys } from '../api/query-keys';
import { isRunFinished, runsApi, type RunView } from '../api/runs.api';
import type { WorkflowGraph } from '../api/workflows.api';
import { useRunEvents } from '../pages/runs/use-run-events';
import { deriveNodeRunStates, deriveNodeRunStatesFromEvents, type NodeRunState } from './run-states';

/** Only when the event stream is not available: fast enough to see steps light up one after the other. */
const FALLBACK_POLL_MS = 300;
const WAITING_POLL_MS = 5000;
const FIND_RUN_ATTEMPTS = 10;
/** Step ends come in bursts: the run (with its outputs) is fetched at most this often. */
const OUTPUT_REFRESH_MS = 250;

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
 * The run the editor follows: a run of the saved draft (nothing is
 * published), a run of the live version, or a test request to the live
 * webhook. Nodes light up from the run's event stream; the run itself
 * (outputs for the inspector) is fetched again when steps end. If the stream
 * cannot be used, the run is polled every 300 ms instead.
 */
export function useEditorRun(workspaceSlug: string, workflowId: string, graph: WorkflowGraph) {
  const queryClient = useQueryClient();
  const [runId, setRunId] = useState<string | null>(null);
  const [reply, setReply] = useState<WebhookTestReply | null>(null);
  const refreshTimer = useRef<number | null>(null);
  const runKey = queryKeys.run(workspaceSlug, runId ?? '');

  const refreshRun = useCallback(() => {
    if (refreshTimer.current !== null) return;
    refreshTimer.current = window.setTimeout(() => {
      refreshTimer.current = null;
      void queryClient.invalidateQueries({ queryKey: queryKeys.run(workspaceSlug, runId ?? '') });
    }, OUTPUT_REFRESH_MS);
  }, [queryClient, workspaceSlug, runId]);
  const events = useRunEvents(workspaceSlug, runId, refreshRun);

  const run = useQuery({
    queryKey: runKey,
    queryFn: () => runsApi.findRun(workspaceSlug, runId!),
    enabled: runId !== null,
    refetchInterval: (query) => {
      const status = query.state.data?.status;
      const isUnfinished = !status || status === 'queued' || status === 'running';
      // With the stream open, a slow re-read still guarantees the panel ends up right if the stream stalls.
      if (!events.isUnavailable) return isUnfinished || status === 'waiting' ? WAITING_POLL_MS : false;
      if (isUnfinished) return FALLBACK_POLL_MS;
      return status === 'waiting' ? WAITING_POLL_MS : false;
    },
  });

  const follow = (id: string) => {
    setRunId(id);
    // The last run feeds "test this node" and autocomplete: they see this one next.
    void queryClient.invalidateQueries({ queryKey: queryKeys.runs(workspaceSlug) });
    void queryClient.invalidateQueries({ queryKey: [...queryKeys.workflow(workspaceSlug, workflowId), 'last-run'] });
  };

  /** Runs the saved draft as it is: `input` is what the trigger receives (a webhook trigger: the request body). */
  const startDraft = useMutation({
    mutationFn: (input: unknown) => runsApi.startDraftRun(workspaceSlug, workflowId, { input }),
    onMutate: () => setReply(null),
    onSuccess: ({ runId: id }) => follow(id),
  });

  /** Runs the published version. */
  const startManual = useMutation({
    mutationFn: (input: unknown) => runsApi.startRun(workspaceSlug, workflowId, input),
    onMutate: () => setReply(null),
    onSuccess: ({ runId: id }) => follow(id),
  });

  /**
   * POSTs to the live webhook as a caller would. The reply does not name the
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
  const live = events.live?.runId === runId ? events.live : null;
  const nodeStates = useMemo<ReadonlyMap<string, NodeRunState>>(() => {
    if (live) return deriveNodeRunStatesFromEvents(live, graph);
    return data ? deriveNodeRunStates(data, graph) : new Map();
  }, [live, data, graph]);
  const status = live?.status ?? data?.status;

  return {
    runId,
    run: data ?? null,
    /** The run's status as last heard (the stream is ahead of the fetched run). */
    status: status ?? null,
    runError: run.error,
    isLive: status ? !isRunFinished(status) : runId !== null,
    isStreaming: live !== null,
    nodeStates,
    reply,
    startDraft,
    startManual,
    sendWebhook,
    isStarting: startDraft.isPending || startManual.isPending || sendWebhook.isPending,
    clear: () => {
      setRunId(null);
      setReply(null);
    },
  };
}

export type EditorRun = ReturnType<typeof useEditorRun>;
