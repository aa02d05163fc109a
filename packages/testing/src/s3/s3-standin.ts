import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { awsV4Authorization, constantTimeEqual, sha256Hex } from '@weft/kernel';

export interface S3StandinOptions {
  accessKeyId?: string;
  secretAccessKey?: string;
  region?: string;
  buckets?: string[];
}

export interface StoredObject {
  bytes: Buffer;
  contentType: string;
}

export interface S3Standin {
  /** The endpoint, path-style: objects are at `<url>/<bucket>/<key>`. */
  url: string;
  accessKeyId: string;
  secretAccessKey: string;
  region: string;
  /** Objects by bucket, then key. */
  buckets: Map<string, Map<string, StoredObject>>;
  /** Requests refused for their signature, to check that a test's failure was the one meant. */
  refusals: string[];
  close(): Promise<void>;
}

/** How far `x-amz-date` may be from now, as S3 allows. */
const CLOCK_SKEW_MS = 15 * 60_000;

/**
 * A local stand-in for an S3-compatible object store: PUT, GET, HEAD and
 * DELETE of objects by path-style address, each request's AWS Signature
 * Version 4 checked as S3 checks it (the signed headers as sent, the payload
 * digest against the body, the date within 15 minutes), and S3's XML errors.
 */
export async function startS3Standin(options: S3StandinOptions = {}): Promise<S3Standin> {
  const accessKeyId = options.accessKeyId ?? 'AKIDWEFTSTANDIN';
  const secretAccessKey = options.secretAccessKey ?? 'standin-secret-access-key';
  const region = options.region ?? 'us-east-1';
  const buckets = new Map((options.buckets ?? ['weft-media']).map((name) => [name, new Map<string, StoredObject>()]));
  const refusals: string[] = [];

  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      try {
        handle(request, Buffer.concat(chunks), response);
      } catch (error) {
        sendError(response, 500, 'InternalError', (error as Error).message);
      }
    });
  });

  function refuse(response: ServerResponse, code: string, message: string): void {
    refusals.push(code);
    sendError(response, 403, code, message);
  }

  function handle(request: IncomingMessage, body: Buffer, response: ServerResponse): void {
    const url = new URL(request.url ?? '/', 'http://standin');
    const authorization = request.headers.authorization ?? '';
    const match = /^AWS4-HMAC-SHA256 Credential=([^/]+)\/(\d{8})\/([^/]+)\/s3\/aws4_request, ?SignedHeaders=([a-z0-9;-]+), ?Signature=([0-9a-f]{64})$/.exec(authorization);
    if (!match) return refuse(response, 'AccessDenied', 'The request is not signed with AWS Signature Version 4');
    const [, keyId, day, signedRegion, signedHeaderList, signature] = match;
    if (keyId !== accessKeyId) return refuse(response, 'InvalidAccessKeyId', 'The access key id does not exist');
    const amzDate = String(request.headers['x-amz-date'] ?? '');
    const signedAt = Date.parse(amzDate.replace(/^(\d{4})(\d\d)(\d\d)T(\d\d)(\d\d)(\d\d)Z$/, '$1-$2-$3T$4:$5:$6Z'));
    if (Number.isNaN(signedAt) || Math.abs(Date.now() - signedAt) > CLOCK_SKEW_MS || amzDate.slice(0, 8) !== day) {
      return refuse(response, 'RequestTimeTooSkewed', 'The difference between the request time and the current time is too large');
    }
    const payloadHash = String(request.headers['x-amz-content-sha256'] ?? '');
    if (payloadHash !== 'UNSIGNED-PAYLOAD' && payloadHash !== sha256Hex(body)) {
      return refuse(response, 'XAmzContentSHA256Mismatch', 'The provided x-amz-content-sha256 header does not match what was computed');
    }
    const signedNames = signedHeaderList!.split(';');
    if (!signedNames.includes('host') || !signedNames.includes('x-amz-date')) return refuse(response, 'AccessDenied', 'host and x-amz-date must be signed');
    const headers = Object.fromEntries(signedNames.map((name) => [name, String(request.headers[name] ?? '')]));
    const expected = awsV4Authorization(
      { method: request.method ?? 'GET', path: url.pathname, query: [...url.searchParams.entries()], headers, payloadHash, amzDate },
      { accessKeyId, secretAccessKey, region: signedRegion!, service: 's3' },
    );
    if (signedRegion !== region || !constantTimeEqual(expected.slice(-64), signature!)) {
      return refuse(response, 'SignatureDoesNotMatch', 'The request signature we calculated does not match the signature you provided');
    }

    const [, bucketName = '', ...keyParts] = url.pathname.split('/');
    const bucket = buckets.get(decodeURIComponent(bucketName));
    if (!bucket) return sendError(response, 404, 'NoSuchBucket', 'The specified bucket does not exist');
    const key = decodeURIComponent(keyParts.join('/'));
    if (!key) return sendError(response, 400, 'InvalidRequest', 'This stand-in serves objects only');
    switch (request.method) {
      case 'PUT': {
        bucket.set(key, { bytes: body, contentType: String(request.headers['content-type'] ?? 'binary/octet-stream') });
        response.writeHead(200, { etag: `"${sha256Hex(body).slice(0, 32)}"`, 'content-length': 0 }).end();
        return;
      }
      case 'GET':
      case 'HEAD': {
        const object = bucket.get(key);
        if (!object) return sendError(response, 404, 'NoSuchKey', 'The specified key does not exist.');
        response.writeHead(200, { 'content-type': object.contentType, 'content-length': object.bytes.length });
        response.end(request.method === 'GET' ? object.bytes : undefined);
        return;
      }
      case 'DELETE':
        bucket.delete(key);
        response.writeHead(204).end();
        return;
      default:
        sendError(response, 405, 'MethodNotAllowed', 'The specified method is not allowed against this resource.');
    }
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    accessKeyId,
    secretAccessKey,
    region,
    buckets,
    refusals,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

function sendError(response: ServerResponse, status: number, code: string, message: string): void {
  const body = `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${code}</Code><Message>${message}</Message></Error>`;
  response.writeHead(status, { 'content-type': 'application/xml', 'content-length': Buffer.byteLength(body) }).end(body);
}
