import { randomInt } from 'node:crypto';
import type { AuthRepository, ClientTokenRow } from '../db/repositories/auth-repository.ts';
import { AppError, badRequest, forbidden, notFound } from '../common/errors.ts';
import { nowMs } from '../common/time.ts';
import type { AuthContext } from './context.ts';
import { FULL_SCOPES } from './scopes.ts';
import type { AuthThrottle, ThrottleKey } from './throttle.ts';
import { THROTTLE_KIND } from './throttle-policies.ts';
import { newClientToken, sha256Hex } from './tokens.ts';

const MAX_TOKENS_PER_USER = 25;
const DAY = 24 * 3600 * 1000;
const EXPIRY: Record<string, number> = { '30d': 30 * DAY, '90d': 90 * DAY, '1y': 365 * DAY };
const PAIR_ALPHABET = 'ABCDEFGHJKMNPQRSTUVWXYZ23456789';
const PAIR_TTL_SECONDS = 60;

export interface CreateTokenInput {
  name: string;
  scopes: string[];
  expires_in?: string | null | undefined;
}

/** Client API tokens (`rmm_…`): stored only as SHA-256, scopes never wider than the caller's own. */
export class ClientTokenService {
  // Pair codes live for 60 s: process memory is the right store (no Redis needed).
  private readonly pairs = new Map<string, { tokenId: number; userId: number; expires: number }>();

  constructor(
    private readonly repo: AuthRepository,
    private readonly throttle: AuthThrottle,
  ) {}

  async create(auth: AuthContext, input: CreateTokenInput): Promise<{ row: ClientTokenRow; raw: string }> {
    // Checked against the credential in use, so a narrow token cannot mint a wider one.
    const invalid = [...new Set(input.scopes)].filter((s) => !auth.scopes.has(s as never)).sort();
    if (invalid.length) throw forbidden(`Requested scopes exceed your permissions: ${invalid.join(', ')}`);
    if ((await this.repo.countClientTokens(auth.user.id)) >= MAX_TOKENS_PER_USER) {
      throw badRequest(`Maximum of ${MAX_TOKENS_PER_USER} tokens per user reached`);
    }
    const expiresAt = parseExpiry(input.expires_in);
    const raw = newClientToken();
    const now = nowMs();
    const ordered = FULL_SCOPES.filter((s) => input.scopes.includes(s));
    const row = await this.repo.insertClientToken({
      user_id: auth.user.id,
      name: input.name,
      hashed_token: sha256Hex(raw),
      scopes: ordered.join(' '),
      expires_at: expiresAt === null ? null : now + expiresAt,
      last_used_at: null,
      created_at: now,
      updated_at: now,
      device_id: null,
    });
    return { row, raw };
  }

  list(userId: number): Promise<ClientTokenRow[]> {
    return this.repo.listClientTokens(userId);
  }

  listAll() {
    return this.repo.listAllClientTokens();
  }

  async delete(tokenId: number, ownerId: number | null): Promise<void> {
    const token = await this.repo.findClientToken(tokenId);
    if (!token || (ownerId !== null && token.user_id !== ownerId)) throw notFound('Token not found');
    await this.repo.deleteClientToken(tokenId);
  }

  async regenerate(tokenId: number, ownerId: number): Promise<{ row: ClientTokenRow; raw: string }> {
    const token = await this.repo.findClientToken(tokenId);
    if (!token || token.user_id !== ownerId) throw notFound('Token not found');
    const raw = newClientToken();
    await this.repo.updateClientTokenHash(tokenId, sha256Hex(raw), nowMs());
    const row = await this.repo.findClientToken(tokenId);
    if (!row) throw notFound('Token not found');
    return { row, raw };
  }

  async pair(tokenId: number, ownerId: number): Promise<{ code: string; expires_in: number }> {
    const token = await this.repo.findClientToken(tokenId);
    if (!token || token.user_id !== ownerId) throw notFound('Token not found');
    this.sweep();
    let code = '';
    for (let i = 0; i < 8; i++) code += PAIR_ALPHABET[randomInt(PAIR_ALPHABET.length)];
    this.pairs.set(code, { tokenId, userId: ownerId, expires: nowMs() + PAIR_TTL_SECONDS * 1000 });
    return { code, expires_in: PAIR_TTL_SECONDS };
  }

  /** Whether a code is pending. Unknown codes count as guesses: the answer tells a valid code from an invalid one. */
  async pairStatus(code: string, clientIp: string): Promise<void> {
    const keys = pairingKeys(clientIp);
    await this.throttle.assertAllowed(keys);
    this.sweep();
    if (!this.pairs.has(normalizeCode(code))) {
      await this.throttle.recordFailure(keys);
      throw notFound('Not Found');
    }
  }

  /** Trades a pair code for a fresh raw token (the old one is rotated), as a device-pairing flow needs. */
  async exchange(code: string, clientIp: string): Promise<{ row: ClientTokenRow; raw: string }> {
    const keys = pairingKeys(clientIp);
    await this.throttle.assertAllowed(keys);
    this.sweep();
    const key = normalizeCode(code);
    const pair = this.pairs.get(key);
    if (!pair) {
      await this.throttle.recordFailure(keys);
      throw notFound('Invalid or expired pairing code');
    }
    this.pairs.delete(key);
    return this.regenerate(pair.tokenId, pair.userId);
  }

  private sweep(): void {
    const now = nowMs();
    for (const [code, pair] of this.pairs) if (pair.expires <= now) this.pairs.delete(code);
  }
}

const pairingKeys = (clientIp: string): ThrottleKey[] => [{ kind: THROTTLE_KIND.pairing, key: clientIp }];

function normalizeCode(code: string): string {
  return code.replace(/-/g, '').toUpperCase();
}

/** Milliseconds until expiry, or null for never. */
export function parseExpiry(value: string | null | undefined): number | null {
  if (value == null || value === 'never') return null;
  const ms = EXPIRY[value];
  if (ms === undefined) {
    throw new AppError(422, `Invalid expires_in value: ${value}. Valid values: 30d, 90d, 1y, never`);
  }
  return ms;
}
