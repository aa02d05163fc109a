import { isIPv6 } from 'node:net';

/** Why an address may not be reached on a user's behalf. */
export type BlockReason =
  | 'loopback'
  | 'unspecified'
  | 'private'
  | 'link-local'
  | 'metadata'
  | 'cgnat'
  | 'multicast'
  | 'broadcast'
  | 'reserved'
  | 'invalid';

export interface ParsedIp {
  version: 4 | 6;
  bytes: Uint8Array;
}

/**
 * Cloud instance-metadata services hand out the machine's own credentials;
 * they stay blocked even when an instance allows private networks.
 * (AWS/GCP/Azure/OpenStack, AWS ECS task metadata, Alibaba Cloud, AWS IPv6 IMDS.)
 */
const METADATA_ADDRESSES = new Set(['169.254.169.254', '169.254.170.2', '100.100.100.200', 'fd00:ec2:0:0:0:0:0:254']);

// IANA special-purpose registry (RFC 6890 and successors): nothing here is a public service.
const IPV4_RANGES: readonly [string, number, BlockReason][] = [
  ['0.0.0.0', 8, 'unspecified'], // "this network"; Linux connects 0.0.0.0 to the local host
  ['10.0.0.0', 8, 'private'],
  ['100.64.0.0', 10, 'cgnat'], // RFC 6598
  ['127.0.0.0', 8, 'loopback'],
  ['169.254.0.0', 16, 'link-local'],
  ['172.16.0.0', 12, 'private'],
  ['192.0.0.0', 24, 'reserved'],
  ['192.0.2.0', 24, 'reserved'],
  ['192.88.99.0', 24, 'reserved'],
  ['192.168.0.0', 16, 'private'],
  ['198.18.0.0', 15, 'reserved'],
  ['198.51.100.0', 24, 'reserved'],
  ['203.0.113.0', 24, 'reserved'],
  ['224.0.0.0', 4, 'multicast'],
  ['255.255.255.255', 32, 'broadcast'],
  ['240.0.0.0', 4, 'reserved'],
];

const IPV4_MASKS = IPV4_RANGES.map(([base, bits, reason]) => {
  const mask = bits === 0 ? 0 : (0xffffffff << (32 - bits)) >>> 0;
  return { network: (toUint32(parseIpv4(base)!) & mask) >>> 0, mask, reason };
});

/**
 * Parses IPv4 the way inet_aton and the WHATWG URL parser do: one to four
 * parts, each decimal, `0x` hex or `0`-prefixed octal, the last part filling
 * the remaining bytes — so `2130706433`, `0x7f.1` and `0177.0.0.1` are all
 * 127.0.0.1. Attackers use these spellings to slip past string checks.
 */
export function parseIpv4(text: string): Uint8Array | null {
  const parts = text.split('.');
  if (parts.length > 1 && parts.at(-1) === '') parts.pop(); // a trailing dot is allowed
  if (parts.length === 0 || parts.length > 4) return null;
  const numbers: number[] = [];
  for (const part of parts) {
    const value = parseIpv4Part(part);
    if (value === null) return null;
    numbers.push(value);
  }
  const last = numbers.pop()!;
  if (numbers.some((n) => n > 255) || last >= 256 ** (4 - numbers.length)) return null;
  const value = numbers.reduce((sum, n, i) => sum + n * 256 ** (3 - i), 0) + last;
  return Uint8Array.of((value >>> 24) & 255, (value >>> 16) & 255, (value >>> 8) & 255, value & 255);
}

function parseIpv4Part(part: string): number | null {
  let radix = 10;
  let digits = part;
  if (/^0x/i.test(part)) {
    radix = 16;
    digits = part.slice(2);
    if (digits === '') return 0; // WHATWG reads a bare "0x" as zero
  } else if (part.length > 1 && part.startsWith('0')) {
    radix = 8;
    digits = part.slice(1);
  }
  const pattern = radix === 16 ? /^[0-9a-f]+$/i : radix === 8 ? /^[0-7]+$/ : /^[0-9]+$/;
  if (!pattern.test(digits)) return null;
  const value = parseInt(digits, radix);
  return value <= 0xffffffff ? value : null;
}

/** Parses an IPv6 address (brackets, zone id and a dotted IPv4 tail allowed) into 16 bytes. */
export function parseIpv6(text: string): Uint8Array | null {
  let address = text.startsWith('[') && text.endsWith(']') ? text.slice(1, -1) : text;
  const zone = address.indexOf('%');
  if (zone >= 0) address = address.slice(0, zone);
  if (!isIPv6(address)) return null;
  const lastColon = address.lastIndexOf(':');
  const tail = address.slice(lastColon + 1);
  if (tail.includes('.')) {
    const v4 = parseIpv4(tail);
    if (!v4) return null;
    address = `${address.slice(0, lastColon + 1)}${((v4[0]! << 8) | v4[1]!).toString(16)}:${((v4[2]! << 8) | v4[3]!).toString(16)}`;
  }
  const [head = '', rest] = address.split('::');
  const left = head ? head.split(':') : [];
  const right = rest ? rest.split(':') : [];
  const groups = rest === undefined ? left : [...left, ...Array<string>(8 - left.length - right.length).fill('0'), ...right];
  if (groups.length !== 8) return null;
  const bytes = new Uint8Array(16);
  groups.forEach((group, i) => {
    const value = parseInt(group, 16);
    bytes[i * 2] = value >> 8;
    bytes[i * 2 + 1] = value & 255;
  });
  return bytes;
}

/** Any textual IP address, or null when the text is not one (a hostname). */
export function parseIpAddress(text: string): ParsedIp | null {
  if (text.includes(':')) {
    const bytes = parseIpv6(text);
    return bytes ? { version: 6, bytes } : null;
  }
  const bytes = parseIpv4(text);
  return bytes ? { version: 4, bytes } : null;
}

/** Canonical text of a parsed address: dotted quad, or eight uncompressed IPv6 groups. */
export function formatIpAddress(ip: ParsedIp): string {
  if (ip.version === 4) return Array.from(ip.bytes).join('.');
  const groups: string[] = [];
  for (let i = 0; i < 16; i += 2) groups.push(((ip.bytes[i]! << 8) | ip.bytes[i + 1]!).toString(16));
  return groups.join(':');
}

/** Why `address` must not be reached, or null for a public unicast address. Unparseable text is 'invalid'. */
export function classifyAddress(address: string): BlockReason | null {
  const ip = parseIpAddress(address);
  if (!ip) return 'invalid';
  if (METADATA_ADDRESSES.has(formatIpAddress(ip))) return 'metadata';
  return ip.version === 4 ? classifyIpv4(ip.bytes) : classifyIpv6(ip.bytes);
}

/** True for every address that outbound requests made for a user must never reach. */
export function isBlockedAddress(address: string): boolean {
  return classifyAddress(address) !== null;
}

function classifyIpv4(bytes: Uint8Array): BlockReason | null {
  if (METADATA_ADDRESSES.has(Array.from(bytes).join('.'))) return 'metadata';
  const value = toUint32(bytes);
  return IPV4_MASKS.find((range) => ((value & range.mask) >>> 0) === range.network)?.reason ?? null;
}

function classifyIpv6(bytes: Uint8Array): BlockReason | null {
  const embedded = bytes.subarray(12, 16);
  if (startsWith(bytes, [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff])) return classifyIpv4(embedded); // ::ffff:a.b.c.d
  if (startsWith(bytes, [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0])) {
    if (embedded.every((b) => b === 0)) return 'unspecified';
    if (toUint32(embedded) === 1) return 'loopback';
    return classifyIpv4(embedded) ?? 'reserved'; // deprecated IPv4-compatible ::a.b.c.d
  }
  if (startsWith(bytes, [0, 0x64, 0xff, 0x9b, 0, 0, 0, 0, 0, 0, 0, 0])) return classifyIpv4(embedded); // NAT64 (RFC 6052)
  if (startsWith(bytes, [0, 0x64, 0xff, 0x9b, 0, 1])) return 'private'; // local-use NAT64 (RFC 8215)
  if (startsWith(bytes, [0x20, 0x02])) return classifyIpv4(bytes.subarray(2, 6)); // 6to4 carries an IPv4 address
  if (startsWith(bytes, [0x20, 0x01, 0x0d, 0xb8])) return 'reserved'; // documentation
  if (startsWith(bytes, [0x20, 0x01, 0, 0])) return 'reserved'; // Teredo hides its IPv4 client address
  if (startsWith(bytes, [0x01, 0, 0, 0, 0, 0, 0, 0])) return 'reserved'; // discard-only 100::/64
  if ((bytes[0]! & 0xfe) === 0xfc) return 'private'; // unique local fc00::/7
  if (bytes[0] === 0xfe && (bytes[1]! & 0xc0) === 0x80) return 'link-local'; // fe80::/10
  if (bytes[0] === 0xfe && (bytes[1]! & 0xc0) === 0xc0) return 'private'; // deprecated site-local fec0::/10
  if (bytes[0] === 0xff) return 'multicast';
  return null;
}

function startsWith(bytes: Uint8Array, prefix: number[]): boolean {
  return prefix.every((b, i) => bytes[i] === b);
}

function toUint32(bytes: Uint8Array): number {
  return ((bytes[0]! << 24) | (bytes[1]! << 16) | (bytes[2]! << 8) | bytes[3]!) >>> 0;
}
