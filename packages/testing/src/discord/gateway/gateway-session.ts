import type { StandinApplication } from '../discord-state';
import type { SessionView } from './ready-payloads';

export interface RecordedDispatch {
  seq: number;
  event: string;
  data: unknown;
}

/** One frame sent: lets a test prove a dispatch reached the bot once, and whether it came as a replay. */
export interface Delivery {
  seq: number;
  event: string;
  /** Which WebSocket connection carried it (1, 2, … per session). */
  connection: number;
  isReplay: boolean;
}

/** What a session's connection must do for it; the gateway connection implements it. */
export interface SessionTransport {
  sendDispatch(dispatch: RecordedDispatch): void;
}

/**
 * A gateway session outlives its WebSocket: dispatches produced while the bot
 * is disconnected are kept under their sequence numbers so that RESUME can
 * replay them (Events › Gateway › Resuming).
 */
export class GatewaySession implements SessionView {
  readonly dispatches: RecordedDispatch[] = [];
  readonly deliveries: Delivery[] = [];
  seq = 0;
  /** False after an IDENTIFY-only ending: a client close 1000/1001, 4004, 4007, 4009, 4010–4014. */
  isResumable = true;
  /** Connections this session has had, counting the current one. */
  connectionCount = 0;
  private transport: SessionTransport | undefined;

  constructor(
    readonly id: string,
    readonly application: StandinApplication,
    readonly intents: number,
    readonly shard: [number, number] | undefined,
  ) {}

  get isConnected(): boolean {
    return this.transport !== undefined;
  }

  attach(transport: SessionTransport): void {
    this.transport = transport;
    this.connectionCount += 1;
  }

  detach(transport: SessionTransport): void {
    if (this.transport === transport) this.transport = undefined;
  }

  /** Assigns the next sequence number and sends the dispatch now if connected, else keeps it for RESUME. */
  record(event: string, data: unknown): RecordedDispatch {
    const dispatch: RecordedDispatch = { seq: ++this.seq, event, data };
    this.dispatches.push(dispatch);
    if (this.transport) this.deliver(dispatch, false);
    return dispatch;
  }

  /** Replays what the client missed: every dispatch after `seq`, in order. */
  replayAfter(seq: number): void {
    for (const dispatch of this.dispatches) if (dispatch.seq > seq) this.deliver(dispatch, true);
  }

  private deliver(dispatch: RecordedDispatch, isReplay: boolean): void {
    this.deliveries.push({ seq: dispatch.seq, event: dispatch.event, connection: this.connectionCount, isReplay });
    this.transport?.sendDispatch(dispatch);
  }
}
