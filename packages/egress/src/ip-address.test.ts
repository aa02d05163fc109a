import { describe, expect, it } from 'vitest';
import { classifyAddress, formatIpAddress, isBlockedAddress, parseIpAddress } from './ip-address';

describe('isBlockedAddress', () => {
  it.each([
    ['127.0.0.1', 'loopback'],
    ['127.255.255.254', 'loopback'],
    ['::1', 'loopback'],
    ['0.0.0.0', 'unspecified'],
    ['::', 'unspecified'],
    ['10.0.0.1', 'private'],
    ['172.16.0.1', 'private'],
    ['172.31.255.255', 'private'],
    ['192.168.1.1', 'private'],
    ['fc00::1', 'private'],
    ['fd12:3456::1', 'private'],
    ['169.254.1.1', 'link-local'],
    ['169.254.169.254', 'metadata'],
    ['fd00:ec2::254', 'metadata'],
    ['fe80::1', 'link-local'],
    ['fe80::1%eth0', 'link-local'],
    ['100.64.0.1', 'cgnat'],
    ['100.127.255.255', 'cgnat'],
    ['224.0.0.1', 'multicast'],
    ['ff02::1', 'multicast'],
    ['255.255.255.255', 'broadcast'],
    ['240.0.0.1', 'reserved'],
  ])('refuses %s as %s', (address, reason) => {
    expect(classifyAddress(address)).toBe(reason);
    expect(isBlockedAddress(address)).toBe(true);
  });

  it.each([
    ['::ffff:127.0.0.1', 'loopback'],
    ['::ffff:7f00:1', 'loopback'],
    ['[::ffff:10.0.0.1]', 'private'],
    ['::ffff:169.254.169.254', 'metadata'],
    ['::127.0.0.1', 'loopback'],
    ['64:ff9b::a00:1', 'private'],
    ['2002:7f00:1::', 'loopback'],
    ['2002:a9fe:a9fe::1', 'metadata'],
  ])('sees through IPv4 embedded in IPv6: %s is %s', (address, reason) => {
    expect(classifyAddress(address)).toBe(reason);
  });

  it.each([
    ['2130706433', 'loopback'],
    ['0x7f000001', 'loopback'],
    ['0x7f.1', 'loopback'],
    ['0177.0.0.1', 'loopback'],
    ['127.1', 'loopback'],
    ['017700000001', 'loopback'],
    ['0xa.0.0.1', 'private'],
    ['2852039166', 'metadata'],
    ['0', 'unspecified'],
  ])('normalises the IPv4 spelling %s (%s)', (address, reason) => {
    expect(classifyAddress(address)).toBe(reason);
  });

  it.each(['8.8.8.8', '1.1.1.1', '93.184.216.34', '2606:4700:4700::1111', '::ffff:8.8.8.8', '64:ff9b::808:808', '172.32.0.1', '100.128.0.1'])(
    'lets the public address %s through',
    (address) => {
      expect(classifyAddress(address)).toBeNull();
      expect(isBlockedAddress(address)).toBe(false);
    },
  );

  it.each(['example.com', '', '1.2.3.4.5', '256.1.1.1', '1.2.3.0x100', '08.1.1.1', ':::1', 'gggg::1'])(
    'fails closed on %j, which is not an address',
    (text) => {
      expect(classifyAddress(text)).toBe('invalid');
      expect(isBlockedAddress(text)).toBe(true);
    },
  );

  it('formats addresses canonically', () => {
    expect(formatIpAddress(parseIpAddress('0x7f.1')!)).toBe('127.0.0.1');
    expect(formatIpAddress(parseIpAddress('::ffff:127.0.0.1')!)).toBe('0:0:0:0:0:ffff:7f00:1');
  });
});
