import { randomBytes, randomInt, randomUUID } from 'node:crypto';
import type { AuthRepository } from '../db/repositories/auth-repository.ts';
import type { DeviceCodeRepository } from '../db/repositories/device-code-repository.ts';
import { AppError, badRequest, forbidden, notFound } from '../common/errors.ts';
import { isoFromMs, isoOrNull, nowMs } from '../common/time.ts';
import { parseExpiry } from './client-token-service.ts';
import type { AuthContext } from './context.ts';
import { FULL_SCOPES } from './scopes.ts';
import { TooManyAttempts, type AuthThrottle, type ThrottleKey } from './throttle.ts';
import { THROTTLE_KIND } from './throttle-policies.ts';
import { newClientToken, sha256Hex } from './tokens.ts';

const USER_CODE_ALPHABET = 'ABCDEFGHJKMNPQRSTUVWXYZ23456789';
export const DEVICE_CODE_TTL_SECONDS = 600;
export const DEVICE_POLL_INTERVAL_SECONDS = 5;
/** A denied request is kept this long so the polling device learns it was denied. */
const DENIED_KEEP_MS = 60_000;
const VERIFICATION_PATH = '/pair/device';

export interface DeviceInitInput {
  client_device_identifier: string;
  name: string;
  client: string;
  platform?: string | null | undefined;
  client_version?: string | null | undefined;
  requested_scopes: string[];
}

export interface DeviceApproveInput {
  user_code: string;
  approved_scopes: string[];
  device_name?: string | null | undefined;
  expires_in?: string | null | undefined;
}

/**
 * Device-code authorization (RFC 8628 as RomM implements it): a device asks for a code pair, shows the short user code,
 * and polls with the secret device code until a signed-in user approves or denies. Approval creates a client token
 * bound to a device row; the device collects it exactly once.
 */
export class DeviceAuthService {
  constructor(
    private readonly codes: DeviceCodeRepository,
    private readonly tokens: AuthRepository,
    private readonly throttle: AuthThrottle,
    private readonly clock: () => number = nowMs,
  ) {}

  async init(input: DeviceInitInput, clientIp: string) {
    await this.limit({ kind: THROTTLE_KIND.deviceInit, key: clientIp }, 'Too many authorize attempts. Try again later.');
    const unknown = input.requested_scopes.filter((s) => !(FULL_SCOPES as readonly string[]).includes(s));
    if (unknown.length) throw new AppError(422, `Unknown scopes: ${unknown.join(', ')}`);

    const now = this.clock();
    await this.codes.purgeExpired(now);
    const deviceCode = randomBytes(32).toString('hex');
    const userCode = await this.freshUserCode();
    await this.codes.insert({
      device_code_hash: sha256Hex(deviceCode),
      user_code: userCode,
      client_device_identifier: input.client_device_identifier,
      name: input.name,
      client: input.client,
      platform: input.platform ?? null,
      client_version: input.client_version ?? null,
      requested_scopes: sortScopes(input.requested_scopes).join(' '),
      created_at: now,
      expires_at: now + DEVICE_CODE_TTL_SECONDS * 1000,
    });
    return {
      device_code: deviceCode,
      user_code: userCode,
      verification_path: VERIFICATION_PATH,
      verification_path_complete: `${VERIFICATION_PATH}?user_code=${userCode}`,
      expires_in: DEVICE_CODE_TTL_SECONDS,
      interval: DEVICE_POLL_INTERVAL_SECONDS,
    };
  }

  /** One poll. Errors are 400 with RFC 8628's codes as `detail`, which clients match exactly. */
  async poll(deviceCode: string, clientIp: string) {
    await this.limit({ kind: THROTTLE_KIND.devicePoll, key: clientIp }, 'Too many polling attempts. Try again later.');
    const now = this.clock();
    const hash = sha256Hex(deviceCode);
    const row = await this.codes.findLiveByHash(hash, now);
    if (!row) throw badRequest('expired_token');
    if (row.status === 'pending') {
      const onTime = await this.codes.recordPoll(hash, now, DEVICE_POLL_INTERVAL_SECONDS * 1000);
      throw badRequest(onTime ? 'authorization_pending' : 'slow_down');
    }
    if (row.status === 'denied') throw badRequest('access_denied');

    const tokenId = await this.codes.takeApproved(hash);
    const token = tokenId === null ? undefined : await this.tokens.findClientToken(tokenId);
    if (!token) throw badRequest('expired_token');
    // The token was stored with a hash nobody holds; the device receives a fresh value, so no raw token is ever stored.
    const raw = newClientToken();
    await this.tokens.updateClientTokenHash(token.id, sha256Hex(raw), now);
    return {
      access_token: raw,
      device_id: token.device_id ?? '',
      scopes: token.scopes.split(' ').filter(Boolean),
      expires_at: isoOrNull(token.expires_at),
    };
  }

  async pending(auth: AuthContext, userCode: string) {
    const now = this.clock();
    const row = await this.live(userCode, now);
    const requested = row.requested_scopes.split(' ').filter(Boolean);
    return {
      client_device_identifier: row.client_device_identifier,
      name: row.name,
      client: row.client,
      platform: row.platform,
      client_version: row.client_version,
      requested_scopes: requested,
      allowed_scopes: requested.filter((s) => auth.scopes.has(s as never)),
      expires_at: isoFromMs(Number(row.expires_at)),
    };
  }

  async approve(auth: AuthContext, input: DeviceApproveInput): Promise<{ device_id: string; device_name: string }> {
    const now = this.clock();
    const row = await this.live(input.user_code, now);
    const expiresIn = parseExpiry(input.expires_in);
    const allowed = row.requested_scopes.split(' ').filter((s) => s && auth.scopes.has(s as never));
    if (input.approved_scopes.some((s) => !allowed.includes(s))) {
      throw forbidden("Approved scopes exceed what's allowed for this user");
    }
    const device = await this.codes.approve({
      userId: auth.user.id,
      userCode: row.user_code,
      now,
      device: {
        id: randomUUID(),
        name: input.device_name || row.name,
        client: row.client,
        platform: row.platform,
        client_version: row.client_version,
        client_device_identifier: row.client_device_identifier,
        sync_mode: 'api',
      },
      token: {
        hashed_token: sha256Hex(newClientToken()),
        scopes: sortScopes(input.approved_scopes).join(' '),
        expires_at: expiresIn === null ? null : now + expiresIn,
        last_used_at: null,
        created_at: now,
        updated_at: now,
      },
    });
    if (!device) throw notFound('Unknown or expired code');
    return { device_id: device.id, device_name: device.name };
  }

  async deny(userCode: string): Promise<void> {
    const now = this.clock();
    await this.live(userCode, now);
    if (!(await this.codes.deny(normalizeUserCode(userCode), now, DENIED_KEEP_MS))) throw notFound('Unknown or expired code');
  }

  /** A pending request by user code; approved or denied ones are gone for the approving side, as in RomM. */
  private async live(userCode: string, now: number) {
    const row = await this.codes.findLiveByUserCode(normalizeUserCode(userCode), now);
    if (!row || row.status !== 'pending') throw notFound('Unknown or expired code');
    return row;
  }

  /** Counts every call (not only failures) against the caller's address: a plain rate limit. */
  private async limit(key: ThrottleKey, message: string): Promise<void> {
    try {
      await this.throttle.assertAllowed([key]);
    } catch (err) {
      if (err instanceof TooManyAttempts) throw new AppError(429, message, { 'retry-after': String(err.retryAfterSeconds) });
      throw err;
    }
    await this.throttle.recordFailure([key]);
  }

  private async freshUserCode(): Promise<string> {
    for (;;) {
      let code = '';
      for (let i = 0; i < 8; i++) code += USER_CODE_ALPHABET[randomInt(USER_CODE_ALPHABET.length)];
      if (!(await this.codes.userCodeTaken(code))) return code;
    }
  }
}

export function normalizeUserCode(code: string): string {
  return code.replace(/[-\s]/g, '').toUpperCase();
}

function sortScopes(scopes: readonly string[]): string[] {
  return [...new Set(scopes)].sort();
}
