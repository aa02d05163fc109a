import { lookup } from 'node:dns/promises';
import { AppError } from '@weft/kernel';
import { EgressErrors } from './egress.errors';
import { classifyAddress, formatIpAddress, parseIpAddress, type BlockReason } from './ip-address';

/** Returns every address of a hostname; the client checks all of them. */
export type ResolveHost = (hostname: string) => Promise<string[]>;

export interface ResolvedAddress {
  address: string;
  family: 4 | 6;
}

export interface AddressPolicy {
  allowPrivateNetworks: boolean;
  /** Lower-case hostnames exempt from the address check; `*.example.internal` matches subdomains. */
  allowedHosts: readonly string[];
  resolve: ResolveHost;
}

/** The system resolver (getaddrinfo, so /etc/hosts counts), every address it knows. */
export const resolveWithSystemDns: ResolveHost = async (hostname) => {
  const records = await lookup(hostname, { all: true, verbatim: true });
  return records.map((record) => record.address);
};

// Metadata services hand out machine credentials: only an explicit allowed host may reach them.
const LIFTED_BY_PRIVATE_NETWORKS = new Set<BlockReason>([
  'loopback',
  'unspecified',
  'private',
  'link-local',
  'cgnat',
  'reserved',
]);

/**
 * Resolves the URL's host once and checks every address it resolved to: a
 * name with one public and one private address is refused, because the
 * connection could land on either. The caller connects to exactly these
 * addresses, so a second DNS answer (rebinding) never gets a say.
 */
export async function resolveTarget(url: URL, policy: AddressPolicy): Promise<ResolvedAddress[]> {
  const host = hostnameOf(url);
  const literal = parseIpAddress(host);
  let addresses: string[];
  if (literal) {
    addresses = [host];
  } else {
    try {
      addresses = await policy.resolve(host);
    } catch (error) {
      throw new AppError(EgressErrors.EGRESS_DNS_FAILED, `Could not resolve ${host}`, {
        host,
        reason: (error as NodeJS.ErrnoException).code ?? 'unknown',
      });
    }
    if (addresses.length === 0) throw new AppError(EgressErrors.EGRESS_DNS_FAILED, `${host} has no address`, { host });
  }
  const exempt = isAllowedHost(host, policy.allowedHosts);
  return addresses.map((address) => {
    const reason = classifyAddress(address);
    if (reason && !exempt && !(policy.allowPrivateNetworks && LIFTED_BY_PRIVATE_NETWORKS.has(reason))) {
      throw new AppError(EgressErrors.EGRESS_ADDRESS_BLOCKED, `Requests to ${host} are not allowed (${reason} address)`, {
        host,
        address,
        reason,
      });
    }
    const parsed = parseIpAddress(address)!;
    return { address: formatIpAddress(parsed), family: parsed.version };
  });
}

/** The URL's hostname without IPv6 brackets or a trailing root dot. */
export function hostnameOf(url: URL): string {
  const host = url.hostname.startsWith('[') ? url.hostname.slice(1, -1) : url.hostname;
  return host.endsWith('.') ? host.slice(0, -1) : host;
}

function isAllowedHost(host: string, allowedHosts: readonly string[]): boolean {
  const name = host.toLowerCase();
  return allowedHosts.some((pattern) =>
    pattern.startsWith('*.') ? name.endsWith(pattern.slice(1)) && name.length > pattern.length - 1 : name === pattern,
  );
}
