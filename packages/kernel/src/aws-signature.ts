import { createHash, createHmac } from 'node:crypto';
import { sha256Hex } from './crypto';

/**
 * AWS Signature Version 4 (AWS4-HMAC-SHA256), as S3-compatible object stores
 * check it: the S3 media store signs with it, and the S3 stand-in of
 * packages/testing verifies with the same function, from the request it got.
 */
export interface AwsSigningKey {
  accessKeyId: string;
  secretAccessKey: string;
  region: string;
  service: string;
}

export interface AwsSignedParts {
  method: string;
  /** The path as sent, already URI-encoded once (S3 does not encode it again). */
  path: string;
  /** Query parameters, in any order. */
  query: [string, string][];
  /** The headers to sign, by lower-case name (`host`, `x-amz-date`, `x-amz-content-sha256` at least). */
  headers: Record<string, string>;
  /** Hex SHA-256 of the body, or `UNSIGNED-PAYLOAD`. */
  payloadHash: string;
  /** `YYYYMMDD'T'HHMMSS'Z'`, the value of `x-amz-date`. */
  amzDate: string;
}

export const EMPTY_PAYLOAD_SHA256 = createHash('sha256').update('').digest('hex');

/** `20130524T000000Z` for a moment. */
export function toAmzDate(moment: Date): string {
  return moment.toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');
}

/** RFC 3986 encoding as SigV4 wants it: everything but A–Z a–z 0–9 - _ . ~ (and `/` in paths). */
export function awsUriEncode(text: string, isPath = false): string {
  return encodeURIComponent(text)
    .replace(/[!'()*]/g, (char) => `%${char.charCodeAt(0).toString(16).toUpperCase()}`)
    .replace(isPath ? /%2F/g : /$^/, '/');
}

/** The `Authorization` header value for a request, over exactly `parts.headers`. */
export function awsV4Authorization(parts: AwsSignedParts, key: AwsSigningKey): string {
  const names = Object.keys(parts.headers).sort();
  const canonicalRequest = [
    parts.method.toUpperCase(),
    parts.path,
    parts.query
      .map(([name, value]) => [awsUriEncode(name), awsUriEncode(value)] as const)
      .sort(([a, x], [b, y]) => (a < b ? -1 : a > b ? 1 : x < y ? -1 : x > y ? 1 : 0))
      .map(([name, value]) => `${name}=${value}`)
      .join('&'),
    names.map((name) => `${name}:${parts.headers[name]!.trim().replace(/\s+/g, ' ')}\n`).join(''),
    names.join(';'),
    parts.payloadHash,
  ].join('\n');
  const day = parts.amzDate.slice(0, 8);
  const scope = `${day}/${key.region}/${key.service}/aws4_request`;
  const stringToSign = ['AWS4-HMAC-SHA256', parts.amzDate, scope, sha256Hex(canonicalRequest)].join('\n');
  let signingKey: Buffer = createHmac('sha256', `AWS4${key.secretAccessKey}`).update(day).digest();
  for (const part of [key.region, key.service, 'aws4_request']) signingKey = createHmac('sha256', signingKey).update(part).digest();
  const signature = createHmac('sha256', signingKey).update(stringToSign).digest('hex');
  return `AWS4-HMAC-SHA256 Credential=${key.accessKeyId}/${scope},SignedHeaders=${names.join(';')},Signature=${signature}`;
}
