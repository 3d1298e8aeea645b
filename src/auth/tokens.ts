import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { SignJWT, jwtVerify } from 'jose';

export const OAUTH_ISSUER = 'romm:oauth';

export interface JwtClaims {
  sub: string;
  iss: string;
  scopes: string;
  type: 'access' | 'refresh';
  exp: number;
  jti?: string;
  /** The user's token generation when issued; tokens from before the last password change are refused. */
  gen: number;
  /** The user's id: `sub` is the username (as RomM signs it), which a rename frees for another account. */
  uid?: number;
}

export class JwtSigner {
  private readonly key: Uint8Array;

  constructor(secret: string) {
    this.key = new TextEncoder().encode(secret);
  }

  async sign(claims: { sub: string; uid: number; scopes: string; type: 'access' | 'refresh'; expiresInSeconds: number; jti?: string; gen: number }): Promise<string> {
    const payload: Record<string, unknown> = { scopes: claims.scopes, type: claims.type, gen: claims.gen, uid: claims.uid };
    const jwt = new SignJWT(payload)
      .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
      .setSubject(claims.sub)
      .setIssuer(OAUTH_ISSUER)
      .setExpirationTime(Math.floor(Date.now() / 1000) + claims.expiresInSeconds);
    if (claims.jti) jwt.setJti(claims.jti);
    return jwt.sign(this.key);
  }

  /** Verified claims, or null for any bad signature, expiry, algorithm or shape. */
  async verify(token: string): Promise<JwtClaims | null> {
    try {
      const { payload } = await jwtVerify(token, this.key, { algorithms: ['HS256'] });
      if (typeof payload.sub !== 'string' || typeof payload.exp !== 'number') return null;
      if (payload.type !== 'access' && payload.type !== 'refresh') return null;
      return {
        sub: payload.sub,
        iss: typeof payload.iss === 'string' ? payload.iss : '',
        scopes: typeof payload.scopes === 'string' ? payload.scopes : '',
        type: payload.type,
        exp: payload.exp,
        // Tokens signed before generations existed carry none: they belong to generation 0.
        gen: typeof payload.gen === 'number' && Number.isInteger(payload.gen) ? payload.gen : 0,
        ...(typeof payload.jti === 'string' ? { jti: payload.jti } : {}),
        ...(typeof payload.uid === 'number' && Number.isSafeInteger(payload.uid) ? { uid: payload.uid } : {}),
      };
    } catch {
      return null;
    }
  }
}

/** Reads the `iss` claim without verifying, to tell foreign tokens (ignored) from forged ones (rejected). */
export function unverifiedIssuer(token: string): string | null {
  const part = token.split('.')[1];
  if (!part) return null;
  try {
    const payload = JSON.parse(Buffer.from(part, 'base64url').toString('utf8')) as { iss?: unknown };
    return typeof payload.iss === 'string' ? payload.iss : null;
  } catch {
    return null;
  }
}

export const sha256Hex = (value: string): string => createHash('sha256').update(value).digest('hex');

export const newClientToken = (): string => `rmm_${randomBytes(32).toString('hex')}`;
export const newSessionId = (): string => randomBytes(32).toString('base64url');
export const newJti = (): string => randomUUID();
