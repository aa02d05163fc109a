/**
 * Where a fault applies: `'*'` for any request, or `'METHOD /path'` relative to
 * the API base, written as the route pattern (`'GET /users/@me'`,
 * `'GET /guilds/:guildId'`) or as a concrete path (`'GET /guilds/123'`).
 */
export type FaultRoute = '*' | `${string} /${string}`;

export type DiscordFault =
  | {
      route?: FaultRoute;
      kind: '429';
      /** Seconds, possibly fractional, as in Discord's `retry_after`. */
      retryAfterSeconds: number;
      /** A global rate limit (Topics › Rate Limits › Global Rate Limit) instead of a per-route one. */
      global?: boolean;
    }
  | { route?: FaultRoute; kind: '5xx'; status: 500 | 502 | 503 | 504 }
  /** The socket is destroyed before any reply, as when a connection drops mid-request. */
  | { route?: FaultRoute; kind: 'drop' }
  | GatewayFault;

/**
 * Faults for the gateway; REST requests never take them. `drop-connection`
 * destroys the next WebSocket upgrade before it completes; `close` closes the
 * connection with `code` when it sends the named opcode.
 */
export type GatewayFault =
  | { route: 'GATEWAY'; kind: 'drop-connection' }
  | { route: 'GATEWAY'; kind: 'close'; on: 'identify' | 'resume'; code: number };

export type RestFault = Exclude<DiscordFault, GatewayFault>;

/** Faults waiting for a request to hit; each one applies to exactly one request. */
export class FaultQueue {
  private readonly pending: DiscordFault[] = [];

  enqueue(...faults: DiscordFault[]): void {
    this.pending.push(...faults);
  }

  /** Removes and returns the oldest fault aimed at this request, if any. */
  takeFor(method: string, path: string, routePattern: string | undefined): RestFault | undefined {
    const index = this.pending.findIndex((fault) => isFaultFor(fault, method, path, routePattern));
    if (index === -1) return undefined;
    return this.pending.splice(index, 1)[0] as RestFault;
  }

  /** Removes and returns the oldest gateway fault of that kind (and stage), if any. */
  takeGatewayFault(kind: 'drop-connection'): GatewayFault | undefined;
  takeGatewayFault(kind: 'close', on: 'identify' | 'resume'): Extract<GatewayFault, { kind: 'close' }> | undefined;
  takeGatewayFault(kind: GatewayFault['kind'], on?: string): GatewayFault | undefined {
    const index = this.pending.findIndex(
      (fault) => fault.route === 'GATEWAY' && fault.kind === kind && (fault.kind !== 'close' || fault.on === on),
    );
    if (index === -1) return undefined;
    return this.pending.splice(index, 1)[0] as GatewayFault;
  }

  get size(): number {
    return this.pending.length;
  }

  clear(): void {
    this.pending.length = 0;
  }
}

function isFaultFor(fault: DiscordFault, method: string, path: string, routePattern: string | undefined): boolean {
  if (fault.route === 'GATEWAY') return false;
  const route = fault.route ?? '*';
  if (route === '*') return true;
  const space = route.indexOf(' ');
  const faultMethod = route.slice(0, space).toUpperCase();
  const faultPath = route.slice(space + 1);
  return faultMethod === method && (faultPath === path || faultPath === routePattern);
}
