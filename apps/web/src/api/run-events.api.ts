// Types only: a value import would bring zod into the dashboard's bundle.
import type { RunSnapshotEvent, RunStatus, RunStatusEvent, RunStepEvent, WorkspaceRunEvent } from '@weft/contracts';
import { isRunFinished, runsApi } from './runs.api';

export type { RunSnapshotEvent, RunStatusEvent, RunStepEvent, WorkspaceRunEvent };

/** Errors in a row, with no event in between, after which the stream is given up for polling. */
const MAX_SILENT_ERRORS = 3;

interface StreamCallbacks {
  /** The stream cannot be used (refused, unsupported, or it kept failing): poll instead. */
  onUnavailable(): void;
}

export interface RunEventHandlers extends StreamCallbacks {
  /** First on every (re)connection: the whole state, which replaces what was known. */
  onSnapshot(snapshot: RunSnapshotEvent): void;
  onStep(event: RunStepEvent): void;
  onStatus(event: RunStatusEvent): void;
}

/**
 * Opens an EventSource on `url` with named JSON events. The browser
 * reconnects by itself after a dropped connection (the server starts again
 * with a snapshot); a refusal (4xx, 5xx) closes it for good. Returns the
 * function that closes it.
 */
function openStream(url: string, listeners: Record<string, (data: unknown, close: () => void) => void>, callbacks: StreamCallbacks): () => void {
  if (typeof EventSource === 'undefined') {
    queueMicrotask(() => callbacks.onUnavailable());
    return () => undefined;
  }
  const source = new EventSource(url);
  let isClosed = false;
  let silentErrors = 0;
  const close = () => {
    isClosed = true;
    source.close();
  };
  for (const [name, listener] of Object.entries(listeners)) {
    source.addEventListener(name, (event) => {
      if (isClosed) return;
      silentErrors = 0;
      listener(JSON.parse((event as MessageEvent<string>).data), close);
    });
  }
  source.onerror = () => {
    if (isClosed) return;
    silentErrors += 1;
    if (source.readyState === EventSource.CLOSED || silentErrors >= MAX_SILENT_ERRORS) {
      close();
      callbacks.onUnavailable();
    }
  };
  return close;
}

/** A run's live progress; closes itself after the run's final status. */
export function subscribeToRunEvents(workspace: string, runId: string, handlers: RunEventHandlers): () => void {
  const onStep = (data: unknown) => handlers.onStep(data as RunStepEvent);
  return openStream(
    runsApi.runEventsUrl(workspace, runId),
    {
      snapshot: (data) => handlers.onSnapshot(data as RunSnapshotEvent),
      'step.started': onStep,
      'step.finished': onStep,
      'step.failed': onStep,
      'run.status': (data, close) => {
        const event = data as RunStatusEvent;
        // Closed here, or the browser would reconnect once the server ends the stream.
        if (isRunFinished(event.status as RunStatus)) close();
        handlers.onStatus(event);
      },
    },
    handlers,
  );
}

/** Runs created and status changes in a workspace, for the runs list. */
export function subscribeToWorkspaceRunEvents(workspace: string, handlers: StreamCallbacks & { onChange(event: WorkspaceRunEvent): void }): () => void {
  const onChange = (data: unknown) => handlers.onChange(data as WorkspaceRunEvent);
  return openStream(runsApi.workspaceRunEventsUrl(workspace), { 'run.created': onChange, 'run.status': onChange }, handlers);
}
