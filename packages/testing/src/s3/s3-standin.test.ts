import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { awsV4Authorization, EMPTY_PAYLOAD_SHA256, sha256Hex, toAmzDate } from '@weft/kernel';
import { startS3Standin, type S3Standin } from './s3-standin';

/** The stand-in refuses what S3 refuses: it must not let an unsigned or altered request through. */
let s3: S3Standin;
beforeAll(async () => {
  s3 = await startS3Standin();
});
afterAll(async () => {
  await s3?.close();
});

function signedHeaders(method: string, path: string, body: string, payloadHash = sha256Hex(body)) {
  const amzDate = toAmzDate(new Date());
  const headers = { host: new URL(s3.url).host, 'x-amz-content-sha256': payloadHash, 'x-amz-date': amzDate };
  const authorization = awsV4Authorization({ method, path, query: [], headers, payloadHash, amzDate }, { accessKeyId: s3.accessKeyId, secretAccessKey: s3.secretAccessKey, region: s3.region, service: 's3' });
  const { host: _host, ...sent } = headers;
  return { ...sent, authorization };
}

describe('S3 stand-in', () => {
  it('stores and returns an object for a correctly signed request', async () => {
    const put = await fetch(`${s3.url}/weft-media/a/b.txt`, { method: 'PUT', headers: signedHeaders('PUT', '/weft-media/a/b.txt', 'hello'), body: 'hello' });
    expect(put.status).toBe(200);
    const get = await fetch(`${s3.url}/weft-media/a/b.txt`, { headers: signedHeaders('GET', '/weft-media/a/b.txt', '', EMPTY_PAYLOAD_SHA256) });
    expect([get.status, await get.text()]).toEqual([200, 'hello']);
  });

  it('refuses an unsigned request, a body other than the signed one, and a missing key with S3 error codes', async () => {
    const unsigned = await fetch(`${s3.url}/weft-media/x`);
    expect([unsigned.status, await unsigned.text()]).toEqual([403, expect.stringContaining('<Code>AccessDenied</Code>')]);
    const altered = await fetch(`${s3.url}/weft-media/x`, { method: 'PUT', headers: signedHeaders('PUT', '/weft-media/x', 'signed'), body: 'altered' });
    expect(await altered.text()).toContain('<Code>XAmzContentSHA256Mismatch</Code>');
    const otherPath = await fetch(`${s3.url}/weft-media/y`, { method: 'PUT', headers: signedHeaders('PUT', '/weft-media/x', 'z'), body: 'z' });
    expect(await otherPath.text()).toContain('<Code>SignatureDoesNotMatch</Code>');
    const missing = await fetch(`${s3.url}/weft-media/none`, { headers: signedHeaders('GET', '/weft-media/none', '', EMPTY_PAYLOAD_SHA256) });
    expect([missing.status, await missing.text()]).toEqual([404, expect.stringContaining('<Code>NoSuchKey</Code>')]);
    expect(s3.buckets.get('weft-media')!.has('x')).toBe(false);
  });
});
