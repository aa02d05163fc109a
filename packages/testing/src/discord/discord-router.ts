import type { IncomingHttpHeaders } from 'node:http';

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/** A request as the routes see it, already read and parsed. */
export interface RouteRequest {
  method: string;
  /** The path relative to the API base (`/users/@me`), or the page path outside it (`/oauth2/authorize`). */
  path: string;
  params: Readonly<Record<string, string>>;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  body: string;
  /** `api`: under `/api` or `/api/v{n}`, where replies carry rate-limit headers. `web`: Discord's pages. */
  surface: 'api' | 'web';
}

/** What a route answers; the stand-in adds the headers every Discord reply carries. */
export interface RouteReply {
  status: number;
  headers?: Record<string, string>;
  /** Serialized as JSON; no body when undefined. */
  json?: unknown;
}

export interface DiscordRoute {
  method: HttpMethod;
  /** Relative to the API base; `:name` segments become params, e.g. `/guilds/:guildId`. */
  path: string;
  /** Also served at the same path outside `/api`, as Discord's web pages are. */
  isAlsoWebPage?: boolean;
  reply(request: RouteRequest): RouteReply | Promise<RouteReply>;
}

export type RouteMatch =
  | { kind: 'found'; route: DiscordRoute; params: Record<string, string> }
  /** The path exists for other methods: Discord answers 405. */
  | { kind: 'method-not-allowed' }
  | { kind: 'not-found' };

/** Method + path routing; route files add their routes with `router.add`. */
export class DiscordRouter {
  private readonly routes: Array<{ route: DiscordRoute; segments: string[] }> = [];

  add(...routes: DiscordRoute[]): void {
    for (const route of routes) this.routes.push({ route, segments: splitPath(route.path) });
  }

  match(method: string, path: string, surface: 'api' | 'web'): RouteMatch {
    const segments = splitPath(path);
    let isPathKnown = false;
    for (const { route, segments: pattern } of this.routes) {
      if (surface === 'web' && !route.isAlsoWebPage) continue;
      const params = matchSegments(pattern, segments);
      if (!params) continue;
      if (route.method === method) return { kind: 'found', route, params };
      isPathKnown = true;
    }
    return isPathKnown ? { kind: 'method-not-allowed' } : { kind: 'not-found' };
  }
}

function splitPath(path: string): string[] {
  return path.split('/').filter((segment) => segment !== '');
}

function matchSegments(pattern: string[], segments: string[]): Record<string, string> | undefined {
  if (pattern.length !== segments.length) return undefined;
  const params: Record<string, string> = {};
  for (const [index, expected] of pattern.entries()) {
    const actual = segments[index]!;
    if (expected.startsWith(':')) params[expected.slice(1)] = decodeURIComponent(actual);
    else if (expected !== actual) return undefined;
  }
  return params;
}
