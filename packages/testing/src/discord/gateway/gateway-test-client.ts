import { WebSocket } from 'ws';
import { GatewayIntentBits, GatewayOpcodes } from 'discord-api-types/v10';

export interface GatewayFrame {
  op: number;
  d: unknown;
  s: number | null;
  t: string | null;
}

/**
 * A bare WebSocket client for the stand-in's own gateway tests: it sends what
 * it is told and records every frame, so tests see the wire, not an SDK's view.
 */
export class GatewayTestClient {
  readonly frames: GatewayFrame[] = [];
  readonly closed: Promise<{ code: number; reason: string }>;
  private readonly waiters: Array<() => void> = [];
  private heartbeatTimer: NodeJS.Timeout | undefined;

  /** `isHeartbeating`: answer HELLO by heartbeating at half the interval, as a well-behaved client does. */
  private constructor(
    readonly socket: WebSocket,
    isHeartbeating: boolean,
  ) {
    socket.on('message', (raw) => {
      const frame = JSON.parse(String(raw)) as GatewayFrame;
      this.frames.push(frame);
      if (frame.op === GatewayOpcodes.Hello && isHeartbeating) {
        const interval = (frame.d as { heartbeat_interval: number }).heartbeat_interval;
        this.heartbeatTimer = setInterval(() => this.send(GatewayOpcodes.Heartbeat, this.lastSeq()), interval / 2);
      }
      for (const wake of this.waiters.splice(0)) wake();
    });
    this.closed = new Promise((resolve) =>
      socket.on('close', (code, reason) => {
        clearInterval(this.heartbeatTimer);
        resolve({ code, reason: String(reason) });
      }),
    );
    socket.on('error', () => undefined);
  }

  static async connect(gatewayUrl: string, query = '?v=10&encoding=json', isHeartbeating = true): Promise<GatewayTestClient> {
    const socket = new WebSocket(`${gatewayUrl}/${query}`);
    const client = new GatewayTestClient(socket, isHeartbeating);
    await new Promise<void>((resolve, reject) => {
      socket.once('open', () => resolve());
      socket.once('error', reject);
      socket.once('close', () => reject(new Error('closed before open')));
    });
    return client;
  }

  send(op: number, d: unknown): void {
    if (this.socket.readyState === WebSocket.OPEN) this.socket.send(JSON.stringify({ op, d }));
  }

  /** The highest sequence number received: what HEARTBEAT and RESUME carry. */
  lastSeq(): number | null {
    const seqs = this.frames.map((frame) => frame.s).filter((s): s is number => s !== null);
    return seqs.length > 0 ? Math.max(...seqs) : null;
  }

  identify(token: string, intents: number = GatewayIntentBits.Guilds | GatewayIntentBits.GuildMessages, extra: Record<string, unknown> = {}): void {
    this.send(GatewayOpcodes.Identify, { token, intents, properties: { os: 'linux', browser: 'weft-test', device: 'weft-test' }, ...extra });
  }

  /** The first frame (from `from` on) matching, waiting up to `timeoutMs`. */
  async next(match: (frame: GatewayFrame) => boolean, timeoutMs = 2_000, from = 0): Promise<GatewayFrame> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = this.frames.slice(from).find(match);
      if (found) return found;
      const remaining = deadline - Date.now();
      if (remaining <= 0) throw new Error(`no matching gateway frame within ${timeoutMs} ms; got ${JSON.stringify(this.frames.map((f) => f.t ?? f.op))}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, Math.min(remaining, 50));
        this.waiters.push(() => (clearTimeout(timer), resolve()));
      });
    }
  }

  dispatch(event: string, timeoutMs?: number, from?: number): Promise<GatewayFrame> {
    return this.next((frame) => frame.op === GatewayOpcodes.Dispatch && frame.t === event, timeoutMs, from);
  }

  dispatches(event?: string): GatewayFrame[] {
    return this.frames.filter((frame) => frame.op === GatewayOpcodes.Dispatch && (event === undefined || frame.t === event));
  }

  /** Connects, waits for HELLO, identifies and waits for READY. */
  static async ready(gatewayUrl: string, token: string, intents?: number): Promise<GatewayTestClient> {
    const client = await GatewayTestClient.connect(gatewayUrl);
    await client.next((frame) => frame.op === GatewayOpcodes.Hello);
    client.identify(token, intents);
    await client.dispatch('READY');
    return client;
  }

  close(code = 1000): void {
    clearInterval(this.heartbeatTimer);
    if (this.socket.readyState === WebSocket.OPEN) this.socket.close(code);
  }
}
