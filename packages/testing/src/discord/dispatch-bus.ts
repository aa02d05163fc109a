/**
 * A gateway event on its way to the bots that would receive it. The state
 * publishes one for every change Discord would announce (a message posted
 * through REST, a member kicked, a simulated join); the gateway delivers it to
 * the sessions of `applicationIds` whose intents ask for it.
 */
export interface GatewayDispatch {
  /** The dispatch name, e.g. `MESSAGE_CREATE` (Events › Gateway Events › Receive Events). */
  event: string;
  data: unknown;
  /** Applications whose bot can see the event, decided when it happened (a kicked bot still hears its own removal). */
  applicationIds: string[];
  /** Guild the event belongs to, for shard routing; absent for DMs and application-wide events. */
  guildId?: string;
}

export type DispatchListener = (dispatch: GatewayDispatch) => void;

/** Fan-out from the state to the gateway; synchronous, so a REST reply is sent after its event was queued. */
export class DispatchBus {
  private readonly listeners = new Set<DispatchListener>();
  /** Every dispatch published, also when no gateway is listening. */
  readonly published: GatewayDispatch[] = [];

  publish(dispatch: GatewayDispatch): void {
    this.published.push(dispatch);
    for (const listener of this.listeners) listener(dispatch);
  }

  subscribe(listener: DispatchListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}
