import type { ServerResponse } from 'node:http';

/**
 * Lane replies leave the process together, once the event loop has handled
 * every request that arrived in its turn (setImmediate runs right after the
 * poll phase), the way uWebSockets corks a loop iteration's writes.
 *
 * Why: on loopback the kernel wakes the reading client inside the writer's
 * own writev. Replies written one at a time between requests each find the
 * client gone back to sleep, and each pays its wake-up; written back to back
 * they find it awake. Measured on W1 saving failed runs (2 cores): kernel
 * time 14 → 6.5 µs a request, 23–25k → 32–36k requests/s (3 interleaved
 * pairs). A turn with one request sends its reply in that same turn, as
 * before; a long batch leaves as soon as it is full, so no reply waits for
 * more than MAX_BATCH others.
 */
const MAX_BATCH = 64;
let pending: ServerResponse[] = [];
let payloads: (string | Buffer)[] = [];

/** Ends `response` with `payload` at the end of this event-loop turn. Its status line and headers must be set already. */
export function endInBatch(response: ServerResponse, payload: string | Buffer): void {
  pending.push(response);
  payloads.push(payload);
  if (pending.length === 1) setImmediate(flushBatch);
  else if (pending.length >= MAX_BATCH) flushBatch();
}

function flushBatch(): void {
  const responses = pending;
  const bodies = payloads;
  if (responses.length === 0) return;
  pending = [];
  payloads = [];
  for (let index = 0; index < responses.length; index++) {
    // A client that hung up meanwhile: node drops the write on its destroyed socket.
    responses[index]!.end(bodies[index]);
  }
}
