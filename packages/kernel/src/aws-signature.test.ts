import { describe, expect, it } from 'vitest';
import { awsUriEncode, awsV4Authorization, EMPTY_PAYLOAD_SHA256, toAmzDate } from './aws-signature';

describe('AWS Signature Version 4', () => {
  it("signs AWS's documented S3 GET example to the published signature", () => {
    const authorization = awsV4Authorization(
      {
        method: 'GET',
        path: '/test.txt',
        query: [],
        headers: { host: 'examplebucket.s3.amazonaws.com', range: 'bytes=0-9', 'x-amz-content-sha256': EMPTY_PAYLOAD_SHA256, 'x-amz-date': '20130524T000000Z' },
        payloadHash: EMPTY_PAYLOAD_SHA256,
        amzDate: '20130524T000000Z',
      },
      { accessKeyId: 'AKIAIOSFODNN7EXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY', region: 'us-east-1', service: 's3' },
    );
    expect(authorization).toBe(
      'AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request,SignedHeaders=host;range;x-amz-content-sha256;x-amz-date,Signature=f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41',
    );
  });

  it('formats dates and encodes as SigV4 wants', () => {
    expect(toAmzDate(new Date('2013-05-24T00:00:00.123Z'))).toBe('20130524T000000Z');
    expect(awsUriEncode("a b/c!*'()~")).toBe('a%20b%2Fc%21%2A%27%28%29~');
    expect(awsUriEncode('/bucket/a b', true)).toBe('/bucket/a%20b');
  });
});
