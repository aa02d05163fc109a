import { registerErrorCodes } from '@weft/kernel';

/**
 * Failures of an outbound request. Messages and details name the host, never
 * the full URL: query strings often carry API keys.
 */
export const EgressErrors = registerErrorCodes({
  EGRESS_INVALID_URL: 400,
  EGRESS_PROTOCOL_NOT_ALLOWED: 400,
  EGRESS_INVALID_REQUEST: 400,
  EGRESS_ADDRESS_BLOCKED: 403,
  EGRESS_DNS_FAILED: 502,
  EGRESS_CONNECTION_FAILED: 502,
  EGRESS_TOO_MANY_REDIRECTS: 502,
  EGRESS_RESPONSE_TOO_LARGE: 502,
  EGRESS_TIMEOUT: 504,
});
