import { describe, expect, it } from 'vitest';
import { blockedReason, ipv6Groups, isPublicAddress } from '../../../src/net/ip-policy.ts';

describe('ip policy', () => {
  it.each([
    '127.0.0.1', '127.1.2.3', '10.0.0.1', '172.16.5.4', '172.31.255.255', '192.168.1.1', '169.254.169.254',
    '169.254.0.1', '0.0.0.0', '100.64.0.1', '100.100.100.200', '224.0.0.1', '239.255.255.250', '255.255.255.255',
    '198.18.0.1', '192.0.2.10',
    '::', '::1', 'fe80::1', 'fe80::1%eth0', 'fc00::1', 'fd00:ec2::254', 'ff02::1', '2001:db8::1',
    '::ffff:127.0.0.1', '::ffff:7f00:1', '::ffff:10.0.0.1', '::ffff:169.254.169.254', '::ffff:a9fe:a9fe',
    '::127.0.0.1', '64:ff9b::127.0.0.1', '64:ff9b::a9fe:a9fe', '2002:7f00:1::1', '2002:a9fe:a9fe::',
    'localhost', 'not-an-ip', '',
  ])('refuses %s', (ip) => {
    expect(isPublicAddress(ip)).toBe(false);
    expect(blockedReason(ip)).not.toBeNull();
  });

  it.each(['93.184.216.34', '8.8.8.8', '1.1.1.1', '172.32.0.1', '100.128.0.1', '2606:4700:4700::1111', '::ffff:8.8.8.8', '2a00:1450:4001::200e'])(
    'allows %s', (ip) => {
      expect(isPublicAddress(ip)).toBe(true);
    },
  );

  it('names the reason', () => {
    expect(blockedReason('169.254.169.254')).toMatch(/metadata/);
    expect(blockedReason('::ffff:127.0.0.1')).toMatch(/loopback.*embedded/);
  });

  it('expands IPv6 forms', () => {
    expect(ipv6Groups('::1')).toEqual([0, 0, 0, 0, 0, 0, 0, 1]);
    expect(ipv6Groups('::ffff:1.2.3.4')).toEqual([0, 0, 0, 0, 0, 0xffff, 0x102, 0x304]);
    expect(ipv6Groups('1.2.3.4')).toBeNull();
  });
});
