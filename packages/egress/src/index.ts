export {
  createEgressClient,
  type EgressClient,
  type EgressClientOptions,
  type EgressRequest,
  type EgressResponse,
} from './egress-client';
export { EgressErrors } from './egress.errors';
export { classifyAddress, isBlockedAddress, type BlockReason } from './ip-address';
export { resolveWithSystemDns, type ResolveHost } from './resolve-target';
