import { createHmac, randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { hostKeyAlgorithms, knownHostName, parseKnownHosts, verifyHostKey } from '../../../src/domain/sync/known-hosts.ts';

const KEY_A = randomBytes(51);
const KEY_B = randomBytes(51);
const b64 = (b: Buffer) => b.toString('base64');
const hashed = (name: string) => {
  const salt = randomBytes(20);
  return `|1|${b64(salt)}|${b64(createHmac('sha1', salt).update(name).digest())}`;
};

describe('known_hosts', () => {
  it('names hosts as OpenSSH does', () => {
    expect(knownHostName('deck.local', 22)).toBe('deck.local');
    expect(knownHostName('10.0.0.5', 2222)).toBe('[10.0.0.5]:2222');
  });

  it('accepts the listed key of a plain, wildcard or hashed entry, with the port', () => {
    const entries = parseKnownHosts([
      '# comment', '', `deck.local,10.0.0.5 ssh-ed25519 ${b64(KEY_A)} me@host`,
      `[10.0.0.6]:2222 ssh-rsa ${b64(KEY_A)}`, `*.lan ssh-ed25519 ${b64(KEY_A)}`, `${hashed('[hidden]:2200')} ecdsa-sha2-nistp256 ${b64(KEY_A)}`,
      'garbage line', `@cert-authority *.ca ssh-ed25519 ${b64(KEY_A)}`,
    ].join('\n'));
    expect(entries).toHaveLength(4);
    expect(verifyHostKey(entries, 'deck.local', 22, KEY_A)).toEqual({ ok: true });
    expect(verifyHostKey(entries, '10.0.0.5', 22, KEY_A)).toEqual({ ok: true });
    expect(verifyHostKey(entries, '10.0.0.6', 2222, KEY_A)).toEqual({ ok: true });
    expect(verifyHostKey(entries, 'rg35xx.lan', 22, KEY_A)).toEqual({ ok: true });
    expect(verifyHostKey(entries, 'hidden', 2200, KEY_A)).toEqual({ ok: true });
    expect(hostKeyAlgorithms(entries, '10.0.0.6', 2222)).toEqual(['rsa-sha2-512', 'rsa-sha2-256', 'ssh-rsa']);
    expect(hostKeyAlgorithms(entries, 'hidden', 2200)).toEqual(['ecdsa-sha2-nistp256']);
  });

  it('refuses unknown hosts, other ports, other keys, negated patterns and revoked keys', () => {
    const entries = parseKnownHosts([
      `deck.local ssh-ed25519 ${b64(KEY_A)}`, `*.lan,!evil.lan ssh-ed25519 ${b64(KEY_A)}`, `@revoked deck.local ssh-ed25519 ${b64(KEY_B)}`,
    ].join('\n'));
    expect(verifyHostKey(entries, 'other.local', 22, KEY_A)).toEqual({ ok: false, reason: 'Host other.local is not in the SSH known_hosts file' });
    expect(verifyHostKey(entries, 'deck.local', 2222, KEY_A)).toMatchObject({ ok: false, reason: 'Host [deck.local]:2222 is not in the SSH known_hosts file' });
    expect(verifyHostKey(entries, 'evil.lan', 22, KEY_A).ok).toBe(false);
    expect(verifyHostKey(entries, 'deck.local', 22, KEY_B)).toEqual({ ok: false, reason: 'The host key of deck.local is marked as revoked in known_hosts' });
    expect(verifyHostKey(entries, 'deck.local', 22, randomBytes(51))).toMatchObject({ ok: false, reason: expect.stringContaining('does not match') });
    expect(verifyHostKey([], 'deck.local', 22, KEY_A).ok).toBe(false);
  });
});
