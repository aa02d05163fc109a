import type { FastifyReply, FastifyRequest } from 'fastify';
import type { z } from 'zod';

/** Who is calling. Produced by the authenticator that the composition root passes in. */
export interface Principal {
  userId: string;
  isAdmin: boolean;
  /** How the caller proved who they are; cookie sessions need a CSRF token on writes. */
  via: 'session' | 'token';
  sessionId?: string;
  tokenId?: string;
  /** Scopes of an API token; undefined for a session (all of the user's rights). */
  scopes?: string[];
  /** An API token is bound to one workspace. */
  tokenWorkspaceId?: string;
}

export type AuthRequirement = 'public' | 'user' | 'admin';
export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export interface RouteContext<TParams, TQuery, TBody> {
  params: TParams;
  query: TQuery;
  body: TBody;
  /** Set when `auth` is not public; may be set on public routes when a caller is signed in. */
  principal: Principal | null;
  request: FastifyRequest;
  reply: FastifyReply;
  ip: string;
  requestId: string;
}

type Schema = z.ZodType;
type Infer<S> = S extends z.ZodType ? z.output<S> : undefined;

export interface RouteDefinition<
  TParams extends Schema | undefined = Schema | undefined,
  TQuery extends Schema | undefined = Schema | undefined,
  TBody extends Schema | undefined = Schema | undefined,
  TResponse extends Schema = Schema,
> {
  method: HttpMethod;
  url: string;
  auth: AuthRequirement;
  summary: string;
  tags?: string[];
  params?: TParams;
  query?: TQuery;
  body?: TBody;
  /**
   * The reply body schema. Unknown keys are stripped, which is what keeps a
   * secret that a service returned by mistake out of the reply.
   */
  response: TResponse;
  /** `html` and `text` routes return a string and are documented as such. */
  responseType?: 'json' | 'html' | 'text';
  successStatus?: number;
  /**
   * A route that takes a file as its whole body (no JSON): the raw bytes are `request.body`, a
   * Buffer. Other content types are refused with 415, larger bodies with 413 (this limit replaces
   * the global one for the route).
   */
  upload?: { contentTypes: readonly string[]; maxBytes: number };
  /** Tighter per-IP limit than the global one, e.g. for login. */
  rateLimit?: { max: number; timeWindowMs: number };
  /** Scope an API token needs for this route; sessions are not limited by scopes. */
  scope?: string;
  handler: (
    context: RouteContext<Infer<TParams>, Infer<TQuery>, Infer<TBody>>,
  ) => Promise<z.input<TResponse>> | z.input<TResponse>;
}

/** Identity function that gives a route its types; registering happens in `registerRoutes`. */
export function defineRoute<
  TParams extends Schema | undefined = undefined,
  TQuery extends Schema | undefined = undefined,
  TBody extends Schema | undefined = undefined,
  TResponse extends Schema = Schema,
>(route: RouteDefinition<TParams, TQuery, TBody, TResponse>): RouteDefinition {
  return route as unknown as RouteDefinition;
}
