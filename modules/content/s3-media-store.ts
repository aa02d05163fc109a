import { awsUriEncode, awsV4Authorization, EMPTY_PAYLOAD_SHA256, isUuid, sha256Hex, toAmzDate, type Clock } from '@weft/kernel';
import type { MediaStore } from './media-store';

export interface S3MediaStoreOptions {
  /** The store's address, e.g. `https://s3.eu-west-1.amazonaws.com` or a MinIO/R2/B2 endpoint. */
  endpoint: string;
  bucket: string;
  region: string;
  accessKeyId: string;
  secretAccessKey: string;
  /** Key prefix of the images in the bucket. */
  prefix?: string;
  clock: Clock;
  /** Per request; a store that does not answer fails the upload rather than holding it. */
  timeoutMs?: number;
}

/**
 * Images in an S3-compatible object store, for instances whose servers do not
 * share a disk. Path-style addresses (`<endpoint>/<bucket>/<key>`, which
 * every S3-compatible store accepts), each request signed with AWS Signature
 * Version 4 over its body's digest.
 */
export function createS3MediaStore(options: S3MediaStoreOptions): MediaStore {
  const endpoint = new URL(options.endpoint);
  const basePath = endpoint.pathname.replace(/\/+$/, '');
  const prefix = options.prefix ?? 'media/';
  const key = { accessKeyId: options.accessKeyId, secretAccessKey: options.secretAccessKey, region: options.region, service: 's3' };

  async function send(method: 'PUT' | 'GET' | 'DELETE', id: string, body?: Uint8Array): Promise<Response> {
    if (!isUuid(id)) throw new Error(`Not a media id: ${id}`);
    const path = awsUriEncode(`${basePath}/${options.bucket}/${prefix}${id}`, true);
    const payloadHash = body ? sha256Hex(Buffer.from(body)) : EMPTY_PAYLOAD_SHA256;
    const amzDate = toAmzDate(options.clock.now());
    const headers: Record<string, string> = { host: endpoint.host, 'x-amz-content-sha256': payloadHash, 'x-amz-date': amzDate };
    if (body) headers['content-type'] = 'application/octet-stream';
    const authorization = awsV4Authorization({ method, path, query: [], headers, payloadHash, amzDate }, key);
    const { host: _host, ...sent } = headers; // fetch writes Host itself, from the same URL
    return fetch(new URL(path, endpoint.origin), { method, headers: { ...sent, authorization }, body, signal: AbortSignal.timeout(options.timeoutMs ?? 15_000) });
  }

  async function fail(response: Response, what: string): Promise<never> {
    const text = await response.text().catch(() => '');
    const code = /<Code>([^<]+)<\/Code>/.exec(text)?.[1] ?? `HTTP ${response.status}`;
    throw new Error(`The media store refused to ${what}: ${code}`);
  }

  return {
    async put(id, bytes) {
      const response = await send('PUT', id, bytes);
      if (!response.ok) await fail(response, 'store an image');
      await response.body?.cancel();
    },
    async get(id) {
      const response = await send('GET', id);
      if (response.status === 404) {
        await response.body?.cancel();
        return null;
      }
      if (!response.ok) await fail(response, 'return an image');
      return Buffer.from(await response.arrayBuffer());
    },
    async delete(id) {
      const response = await send('DELETE', id);
      if (!response.ok && response.status !== 404) await fail(response, 'delete an image');
      await response.body?.cancel();
    },
  };
}
