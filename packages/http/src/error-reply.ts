import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { ZodError } from 'zod';
import { AppError, CoreErrors, httpStatusForCode } from '@weft/kernel';

export interface ErrorBody {
  error: { code: string; message: string; details?: unknown; requestId: string };
}

/** Fastify's own errors, translated to Weft's stable codes. */
const FASTIFY_CODES: Record<string, { code: string; message: string }> = {
  FST_ERR_CTP_BODY_TOO_LARGE: { code: CoreErrors.PAYLOAD_TOO_LARGE, message: 'Request body is too large' },
  FST_ERR_CTP_INVALID_MEDIA_TYPE: { code: CoreErrors.UNSUPPORTED_MEDIA_TYPE, message: 'Unsupported content type' },
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: { code: CoreErrors.VALIDATION_FAILED, message: 'Content-Length does not match the body' },
  FST_ERR_CTP_EMPTY_JSON_BODY: { code: CoreErrors.MALFORMED_JSON, message: 'Body is empty but declared as JSON' },
  FST_ERR_CTP_INVALID_JSON_BODY: { code: CoreErrors.MALFORMED_JSON, message: 'Body is not valid JSON' },
};

export function toErrorBody(error: unknown, requestId: string): { status: number; body: ErrorBody } {
  if (error instanceof AppError) {
    return {
      status: httpStatusForCode(error.code),
      body: { error: { code: error.code, message: error.message, details: error.details, requestId } },
    };
  }
  if (error instanceof ZodError) {
    return {
      status: 400,
      body: {
        error: { code: CoreErrors.VALIDATION_FAILED, message: 'Input is invalid', details: describeZodIssues(error), requestId },
      },
    };
  }
  const fastifyError = error as FastifyError;
  const known = fastifyError.code ? FASTIFY_CODES[fastifyError.code] : undefined;
  if (known) {
    return { status: httpStatusForCode(known.code), body: { error: { ...known, requestId } } };
  }
  if (fastifyError.statusCode && fastifyError.statusCode >= 400 && fastifyError.statusCode < 500) {
    const code = fastifyError.statusCode === 429 ? CoreErrors.RATE_LIMITED : CoreErrors.VALIDATION_FAILED;
    return { status: fastifyError.statusCode, body: { error: { code, message: fastifyError.message, requestId } } };
  }
  return {
    status: 500,
    body: { error: { code: CoreErrors.INTERNAL, message: 'Something went wrong on our side', requestId } },
  };
}

export function describeZodIssues(error: ZodError): { path: string; message: string; code: string }[] {
  return error.issues.map((issue) => ({
    path: issue.path.map(String).join('.'),
    message: issue.message,
    code: issue.code,
  }));
}

export function sendError(request: FastifyRequest, reply: FastifyReply, error: unknown): FastifyReply {
  const { status, body } = toErrorBody(error, request.id);
  const retryAfter = (body.error.details as { retryAfterSeconds?: unknown } | undefined)?.retryAfterSeconds;
  if (typeof retryAfter === 'number' && !reply.hasHeader('retry-after')) reply.header('retry-after', String(Math.ceil(retryAfter)));
  if (status >= 500) request.log.error({ err: error }, 'request failed');
  else request.log.debug({ code: body.error.code }, 'request rejected');
  return reply.status(status).type('application/json; charset=utf-8').send(body);
}
