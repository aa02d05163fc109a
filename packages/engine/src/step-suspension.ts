import { AppError } from '@weft/kernel';
import { EngineErrors } from './engine.errors';

/** What a node that can suspend returns to make the run wait. */
export interface Suspension {
  readonly resumeAt?: Date;
  /** Unguessable (`randomToken()`): whoever holds it can resume the run. */
  readonly callbackToken?: string;
}

/** Where and for what a `waiting` run waits; `callbackToken` only on the call that suspended. */
export interface RunWait extends Suspension {
  readonly nodeId: string;
}

/** Shorter tokens could be guessed; `randomToken()` gives 43 characters. */
const MIN_TOKEN_LENGTH = 22;
const MAX_TOKEN_LENGTH = 512;

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null) return false;
  const prototype = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null;
}

/**
 * Reads `{ suspend: { resumeAt?, callbackToken? } }` (that key only) as a
 * suspension; anything else is an ordinary result. Only called for nodes that
 * declare `canSuspend`, so no other node's output can be mistaken for one.
 * Throws ENGINE_OUTPUT_INVALID for a malformed suspension.
 */
export function readSuspension(result: unknown, nodeId: string): Suspension | undefined {
  if (!isPlainObject(result) || !Object.hasOwn(result, 'suspend') || Object.keys(result).length !== 1) return undefined;
  const suspend = result.suspend;
  const fail = (why: string): never => {
    throw new AppError(EngineErrors.ENGINE_OUTPUT_INVALID, `Node ${nodeId} returned an invalid suspension: ${why}`, { nodeId });
  };
  if (!isPlainObject(suspend)) return fail('"suspend" must be an object');
  const { resumeAt, callbackToken } = suspend;
  if (resumeAt !== undefined && !(resumeAt instanceof Date && Number.isFinite(resumeAt.getTime()))) {
    return fail('resumeAt must be a valid Date');
  }
  if (
    callbackToken !== undefined &&
    (typeof callbackToken !== 'string' || callbackToken.length < MIN_TOKEN_LENGTH || callbackToken.length > MAX_TOKEN_LENGTH)
  ) {
    return fail(`callbackToken must be a string of ${MIN_TOKEN_LENGTH}–${MAX_TOKEN_LENGTH} characters`);
  }
  if (resumeAt === undefined && callbackToken === undefined) return fail('give resumeAt, callbackToken or both');
  return {
    ...(resumeAt === undefined ? {} : { resumeAt }),
    ...(callbackToken === undefined ? {} : { callbackToken }),
  };
}
