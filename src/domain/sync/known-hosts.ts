import { createHmac, timingSafeEqual } from 'node:crypto';

/** One usable line of an OpenSSH known_hosts file. */
export interface KnownHost {
  patterns: string[];
  keyType: string;
  /** The key blob, as the server sends it. */
  key: Buffer;
  revoked: boolean;
}

/**
 * Parses known_hosts: `[@revoked] patterns keytype base64 [comment]`, plain, wildcard, negated and hashed (`|1|…`)
 * host patterns. `@cert-authority` lines, comments and malformed lines are skipped (certificates are not supported).
 */
export function parseKnownHosts(text: string): KnownHost[] {
  const out: KnownHost[] = [];
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (!line || line.startsWith('#')) continue;
    const fields = line.split(/\s+/);
    let revoked = false;
    if (fields[0]?.startsWith('@')) {
      if (fields[0] !== '@revoked') continue;
      revoked = true;
      fields.shift();
    }
    const [patterns, keyType, key] = fields;
    if (!patterns || !keyType || !key || !/^[A-Za-z0-9+/]+={0,2}$/.test(key)) continue;
    out.push({ patterns: patterns.split(','), keyType, key: Buffer.from(key, 'base64'), revoked });
  }
  return out;
}

/** How known_hosts names a host: `host` on port 22, else `[host]:port`. */
export function knownHostName(host: string, port: number): string {
  return port === 22 ? host : `[${host}]:${port}`;
}

function globMatch(pattern: string, name: string): boolean {
  const re = new RegExp(`^${pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.')}$`, 'i');
  return re.test(name);
}

function patternMatches(pattern: string, name: string): boolean {
  if (pattern.startsWith('|1|')) {
    const [, , salt, hash] = pattern.split('|');
    if (!salt || !hash) return false;
    const expected = Buffer.from(hash, 'base64');
    const actual = createHmac('sha1', Buffer.from(salt, 'base64')).update(name).digest();
    return expected.length === actual.length && timingSafeEqual(expected, actual);
  }
  return globMatch(pattern, name);
}

/** Whether a line applies to the host: one pattern matches and no negated one does. */
export function lineMatches(entry: KnownHost, name: string): boolean {
  let matched = false;
  for (const p of entry.patterns) {
    if (p.startsWith('!')) {
      if (patternMatches(p.slice(1), name)) return false;
    } else if (patternMatches(p, name)) {
      matched = true;
    }
  }
  return matched;
}

export type HostKeyVerdict = { ok: true } | { ok: false; reason: string };

/** The host key a server presented, judged against known_hosts as OpenSSH's StrictHostKeyChecking=yes does. */
export function verifyHostKey(entries: readonly KnownHost[], host: string, port: number, key: Buffer): HostKeyVerdict {
  const name = knownHostName(host, port);
  const lines = entries.filter((e) => lineMatches(e, name));
  if (lines.some((e) => e.revoked && e.key.equals(key))) return { ok: false, reason: `The host key of ${name} is marked as revoked in known_hosts` };
  const trusted = lines.filter((e) => !e.revoked);
  if (trusted.length === 0) return { ok: false, reason: `Host ${name} is not in the SSH known_hosts file` };
  if (trusted.some((e) => e.key.equals(key))) return { ok: true };
  return { ok: false, reason: `The host key of ${name} does not match the SSH known_hosts file (possible man-in-the-middle attack)` };
}

/** The server host key algorithms to ask for: the types known_hosts holds for the host, so the right key is offered. */
export function hostKeyAlgorithms(entries: readonly KnownHost[], host: string, port: number): string[] {
  const name = knownHostName(host, port);
  const out = new Set<string>();
  for (const e of entries) {
    if (e.revoked || !lineMatches(e, name)) continue;
    if (e.keyType === 'ssh-rsa') for (const a of ['rsa-sha2-512', 'rsa-sha2-256', 'ssh-rsa']) out.add(a);
    else if (e.keyType === 'ssh-ed25519' || e.keyType.startsWith('ecdsa-sha2-')) out.add(e.keyType);
  }
  return [...out];
}
