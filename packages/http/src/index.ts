export { createHttpApp, type HttpAppOptions } from './create-http-app';
export { writeJson, writeReply, type FastLane, type FastLaneRequest, type FastLanes } from './fast-lanes';
export {
  defineRoute,
  type AuthRequirement,
  type HttpMethod,
  type Principal,
  type RouteContext,
  type RouteDefinition,
} from './define-route';
export { anonymousOnly, registerRoutes, type Authenticate } from './register-routes';
export { buildOpenApiDocument } from './openapi';
export { describeZodIssues, sendError, toErrorBody, type ErrorBody } from './error-reply';
export { decodeCursor, encodeCursor, pageFromRows } from './pagination';
