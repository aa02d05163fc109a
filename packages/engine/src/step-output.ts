import { AppError } from '@weft/kernel';
import { EngineErrors } from './engine.errors';
import type { NodeResult } from './define-node';
import type { StepError, StepRecord } from './run-store';

export const PREVIEW_BYTES = 1024;

/** What a stored output becomes when it is over the cap. */
export interface TruncatedOutput {
  readonly truncated: true;
  readonly bytes: number;
  readonly preview: string;
}

/**
 * Reads `{ output, port? }` (and nothing else, from a plain object) as a
 * NodeResult; any other value is the output itself.
 */
export function isNodeResult(value: unknown): value is NodeResult {
  if (typeof value !== 'object' || value === null || !Object.hasOwn(value, 'output')) return false;
  const prototype = Object.getPrototypeOf(value);
  if (prototype !== Object.prototype && prototype !== null) return false;
  for (const key in value) {
    if (key !== 'output' && key !== 'port') return false;
  }
  const port = (value as { port?: unknown }).port;
  return port === undefined || typeof port === 'string';
}

/**
 * The stored form of an output: itself when its JSON fits in `maxBytes`,
 * else a marker with its size and a preview. Serialises once, and not at all
 * when there is no cap. Throws ENGINE_OUTPUT_INVALID for values JSON cannot
 * hold (cycles, BigInt), since a store could not keep them either.
 */
export function capOutput(
  output: unknown,
  maxBytes: number,
  nodeId: string,
): { stored: unknown; isTruncated: boolean } {
  if (maxBytes === Number.POSITIVE_INFINITY || output === undefined) return { stored: output, isTruncated: false };
  let json: string | undefined;
  try {
    json = JSON.stringify(output);
  } catch (error) {
    throw new AppError(EngineErrors.ENGINE_OUTPUT_INVALID, `Output of node ${nodeId} is not JSON: ${describeError(error).message}`, {
      nodeId,
    });
  }
  // UTF-8 needs at most 3 bytes per UTF-16 unit, so short strings skip the byte count.
  if (json === undefined || json.length * 3 <= maxBytes) return { stored: output, isTruncated: false };
  const bytes = Buffer.byteLength(json);
  if (bytes <= maxBytes) return { stored: output, isTruncated: false };
  const marker: TruncatedOutput = { truncated: true, bytes, preview: cutToBytes(json, PREVIEW_BYTES) };
  return { stored: marker, isTruncated: true };
}

/** The longest prefix of `text` within `maxBytes` of UTF-8 that does not split a character. */
function cutToBytes(text: string, maxBytes: number): string {
  let prefix = text.slice(0, maxBytes);
  while (Buffer.byteLength(prefix) > maxBytes) {
    prefix = prefix.slice(0, -1);
  }
  if (/[\uD800-\uDBFF]$/.test(prefix)) prefix = prefix.slice(0, -1);
  return prefix;
}

/** Details larger than this stay out of the stored error; the message still says what happened. */
const MAX_DETAILS_BYTES = 16_384;

export function describeError(error: unknown): StepError {
  if (error instanceof Error) {
    const code = error instanceof AppError ? error.code : (error as { code?: unknown }).code;
    const details = error instanceof AppError ? keepSmallJson(error.details) : undefined;
    return {
      message: error.message,
      ...(error.stack === undefined ? {} : { stack: error.stack }),
      ...(typeof code === 'string' ? { code } : {}),
      ...(details === undefined ? {} : { details }),
    };
  }
  return { message: typeof error === 'string' ? error : stringifySafely(error) };
}

function keepSmallJson(value: unknown): unknown {
  if (value === undefined) return undefined;
  try {
    const json = JSON.stringify(value);
    return json !== undefined && json.length <= MAX_DETAILS_BYTES ? (JSON.parse(json) as unknown) : undefined;
  } catch {
    return undefined;
  }
}

function stringifySafely(value: unknown): string {
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}

/**
 * Caps the outputs of records made without measuring (`maxOutputBytes:
 * Infinity`), for a host that decides only after the run that it stores it
 * (saving failed runs only): the successful runs it drops never pay for
 * serialising their outputs. An output JSON cannot hold is stored as an
 * empty marker; the run did not need it to be JSON.
 */
export function capRecordedOutputs(steps: readonly StepRecord[], maxBytes: number): StepRecord[] {
  return steps.map((step) => {
    if (step.output === undefined || step.outputTruncated === true) return step;
    let capped: ReturnType<typeof capOutput>;
    try {
      capped = capOutput(step.output, maxBytes, step.nodeId);
    } catch {
      capped = { stored: { truncated: true, bytes: 0, preview: '' } satisfies TruncatedOutput, isTruncated: true };
    }
    return capped.isTruncated ? { ...step, output: capped.stored, outputTruncated: true } : step;
  });
}
