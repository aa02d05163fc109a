import type { RunStepState } from '@weft/contracts';
import { useEffect, useRef, useState } from 'react';
import { subscribeToRunEvents, subscribeToWorkspaceRunEvents } from '../../api/run-events.api';
import type { RunStatus } from '../../api/runs.api';

/** A run as its event stream describes it: statuses only (outputs come from the run itself). */
export interface LiveRun {
  runId: string;
  status: RunStatus;
  /** By node id; `running` is the step in flight. */
  steps: ReadonlyMap<string, RunStepState>;
}

export interface RunEventsState {
  live: LiveRun | null;
  /** The stream could not be used: callers poll instead. */
  isUnavailable: boolean;
}

/**
 * Follows a run's event stream while `runId` is set. `onProgress` hears of
 * every step end and status change (to fetch outputs); it may change between
 * renders without reopening the stream.
 */
export function useRunEvents(workspaceSlug: string, runId: string | null, onProgress?: () => void): RunEventsState {
  const [state, setState] = useState<RunEventsState>({ live: null, isUnavailable: false });
  const progress = useRef(onProgress);
  useEffect(() => {
    progress.current = onProgress;
  });

  useEffect(() => {
    setState({ live: null, isUnavailable: false });
    if (runId === null) return;
    const update = (change: (live: LiveRun) => LiveRun) => setState((current) => (current.live?.runId === runId ? { ...current, live: change(current.live) } : current));
    return subscribeToRunEvents(workspaceSlug, runId, {
      onSnapshot: (snapshot) => {
        setState({ isUnavailable: false, live: { runId, status: snapshot.run.status, steps: new Map(snapshot.steps.map((step) => [step.nodeId, step])) } });
        progress.current?.();
      },
      onStep: ({ runId: _runId, ...step }) => {
        update((live) => ({ ...live, steps: new Map(live.steps).set(step.nodeId, step) }));
        if (step.status !== 'running') progress.current?.();
      },
      onStatus: (event) => {
        update((live) => ({ ...live, status: event.status }));
        progress.current?.();
      },
      onUnavailable: () => setState((current) => ({ ...current, isUnavailable: true })),
    });
  }, [workspaceSlug, runId]);

  return state;
}

/** Calls `onChange` when a run of the workspace is created or changes status; false once the stream cannot be used. */
export function useWorkspaceRunEvents(workspaceSlug: string, isEnabled: boolean, onChange: () => void): { isUnavailable: boolean } {
  const [isUnavailable, setUnavailable] = useState(false);
  const change = useRef(onChange);
  useEffect(() => {
    change.current = onChange;
  });
  useEffect(() => {
    setUnavailable(false);
    if (!isEnabled) return;
    return subscribeToWorkspaceRunEvents(workspaceSlug, { onChange: () => change.current(), onUnavailable: () => setUnavailable(true) });
  }, [workspaceSlug, isEnabled]);
  return { isUnavailable };
}
