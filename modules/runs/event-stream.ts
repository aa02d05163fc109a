import { PassThrough } from 'node:stream';
import type { FastifyReply } from 'fastify';

/** One `text/event-stream` response (https://html.spec.whatwg.org/multipage/server-sent-events.html). */
export interface EventStream {
  /** One event; `data` is sent as one line of JSON. */
  send(event: string, data: unknown): void;
  /** Ends the response; the `onClose` callbacks run. */
  close(): void;
  /** Runs once when the stream ends, whoever ended it (us, the client, a shutdown). */
  onClose(callback: () => void): void;
  readonly isClosed: boolean;
}

export interface EventStreamOptions {
  /** A comment line this often keeps proxies from closing an idle connection. */
  heartbeatMs: number;
  /** Also called on each heartbeat (a cheap safety re-read for a missed notification). */
  onHeartbeat?: () => void;
  /** How long a browser waits before reconnecting after the connection dropped. */
  retryMs?: number;
}

/**
 * Sends `reply` as an event stream. Event ids count up per connection; a
 * reconnecting client's `Last-Event-ID` is not needed because every stream
 * starts with a full snapshot.
 */
export function openEventStream(reply: FastifyReply, options: EventStreamOptions): EventStream {
  const body = new PassThrough();
  const callbacks: (() => void)[] = [];
  let nextId = 1;
  let isClosed = false;
  const heartbeat = setInterval(() => {
    body.write(': heartbeat\n\n');
    options.onHeartbeat?.();
  }, options.heartbeatMs);
  heartbeat.unref();

  function finish(): void {
    if (isClosed) return;
    isClosed = true;
    clearInterval(heartbeat);
    for (const callback of callbacks.splice(0)) callback();
  }
  // The client went away (the socket closed), or we ended the body.
  reply.raw.once('close', finish);
  body.once('close', finish);

  reply
    .header('content-type', 'text/event-stream; charset=utf-8')
    .header('cache-control', 'no-cache, no-transform')
    // Reverse proxies (nginx) must pass events on as they come instead of buffering them.
    .header('x-accel-buffering', 'no')
    .send(body);
  body.write(`retry: ${options.retryMs ?? 3000}\n\n`);

  return {
    send(event, data) {
      if (isClosed) return;
      body.write(`id: ${nextId++}\nevent: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
    },
    close() {
      if (isClosed) return;
      body.end();
      finish();
    },
    onClose(callback) {
      if (isClosed) callback();
      else callbacks.push(callback);
    },
    get isClosed() {
      return isClosed;
    },
  };
}

/** The streams this process serves, so a shutdown can end them (an open response would hold the HTTP server open). */
export function createEventStreamRegistry() {
  const open = new Set<EventStream>();
  return {
    track(stream: EventStream): void {
      open.add(stream);
      stream.onClose(() => open.delete(stream));
    },
    get size() {
      return open.size;
    },
    closeAll(): void {
      for (const stream of [...open]) stream.close();
    },
  };
}

export type EventStreamRegistry = ReturnType<typeof createEventStreamRegistry>;
