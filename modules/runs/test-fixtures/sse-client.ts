import { request, type ClientRequest, type IncomingMessage } from 'node:http';

export interface ReceivedEvent {
  event: string;
  id?: string;
  data: unknown;
}

export interface SseConnection {
  status: number;
  headers: IncomingMessage['headers'];
  events: ReceivedEvent[];
  /** Comment lines (`: heartbeat`). */
  comments: string[];
  /** Resolves with the events received once `predicate` holds for them. */
  waitFor(predicate: (events: ReceivedEvent[]) => boolean, timeoutMs?: number): Promise<ReceivedEvent[]>;
  /** Resolves when the server ends the stream. */
  ended: Promise<void>;
  /** Drops the connection, as a closed browser tab would. */
  destroy(): void;
}

/** A minimal EventSource over node:http for tests: parses events as they arrive. */
export function connectSse(url: string, headers: Record<string, string>): Promise<SseConnection> {
  return new Promise((resolveConnection, reject) => {
    const req: ClientRequest = request(url, { headers: { accept: 'text/event-stream', ...headers } }, (res) => {
      const events: ReceivedEvent[] = [];
      const comments: string[] = [];
      const waiters = new Set<() => void>();
      let buffer = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        buffer += chunk;
        let end: number;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const parsed: Partial<ReceivedEvent> & { dataText?: string } = {};
          for (const line of block.split('\n')) {
            if (line.startsWith(':')) comments.push(line.slice(1).trim());
            else if (line.startsWith('event: ')) parsed.event = line.slice(7);
            else if (line.startsWith('id: ')) parsed.id = line.slice(4);
            else if (line.startsWith('data: ')) parsed.dataText = line.slice(6);
          }
          if (parsed.dataText !== undefined) events.push({ event: parsed.event ?? 'message', ...(parsed.id ? { id: parsed.id } : {}), data: JSON.parse(parsed.dataText) });
          for (const wake of waiters) wake();
        }
      });
      const ended = new Promise<void>((resolveEnd) => {
        res.once('end', resolveEnd);
        res.once('close', resolveEnd);
      });
      resolveConnection({
        status: res.statusCode ?? 0,
        headers: res.headers,
        events,
        comments,
        ended,
        destroy: () => req.destroy(),
        waitFor(predicate, timeoutMs = 10_000) {
          if (predicate(events)) return Promise.resolve(events);
          return new Promise((resolveWait, rejectWait) => {
            const timer = setTimeout(() => {
              waiters.delete(check);
              rejectWait(new Error(`timed out; received ${JSON.stringify(events.map((event) => event.event))}`));
            }, timeoutMs);
            function check() {
              if (!predicate(events)) return;
              clearTimeout(timer);
              waiters.delete(check);
              resolveWait(events);
            }
            waiters.add(check);
          });
        },
      });
    });
    req.once('error', reject);
    req.end();
  });
}

/** `event:nodeId` (or `event:status`) for each event, to compare sequences. */
export function describeEvents(events: ReceivedEvent[]): string[] {
  return events.map((event) => {
    const data = event.data as { nodeId?: string; status?: string };
    if (event.event === 'snapshot') return `snapshot:${(event.data as { run: { status: string } }).run.status}`;
    return `${event.event}:${data.nodeId ?? data.status}`;
  });
}
