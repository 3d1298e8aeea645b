import type { AuthRepository } from '../db/repositories/auth-repository.ts';
import type { UserRow, UsersRepository } from '../db/repositories/users-repository.ts';
import { AppError, badRequest, forbidden, unauthorized } from '../common/errors.ts';
import { nowMs } from '../common/time.ts';
import type { TokenResponse } from '../contract/auth.ts';
import { BasicCredentialCache } from './basic-cache.ts';
import type { AuthContext } from './context.ts';
import type { PasswordChecker } from './password-checker.ts';
import type { PermissionsResolver } from './permissions-resolver.ts';
import { intersectScopes, parseScopeString, type Scope } from './scopes.ts';
import { type JwtClaims, type JwtSigner, OAUTH_ISSUER, newJti, newSessionId, sha256Hex, unverifiedIssuer } from './tokens.ts';

export interface AuthSettings {
  sessionMaxAgeSeconds: number;
  accessTokenExpireSeconds: number;
  refreshTokenExpireSeconds: number;
}

export interface TokenForm {
  grant_type?: string | undefined;
  scope?: string | undefined;
  username?: string | undefined;
  password?: string | undefined;
  refresh_token?: string | undefined;
}

/** How often a device's `last_seen` is moved forward by its token's use. */
const DEVICE_SEEN_INTERVAL_MS = 5 * 60_000;

const invalidCredentials = () => new AppError(401, 'Could not validate credentials', { 'www-authenticate': 'Bearer' });

/** Resolves every RomM credential type to a user and scope set, and issues sessions and OAuth tokens. */
export class AuthService {
  private readonly basicCache = new BasicCredentialCache();

  constructor(
    private readonly users: UsersRepository,
    private readonly repo: AuthRepository,
    private readonly jwt: JwtSigner,
    private readonly settings: AuthSettings,
    private readonly passwords: PasswordChecker,
    private readonly permissions: PermissionsResolver,
  ) {}

  /** The scopes a user's role, group and overrides project to (spec §2.2). */
  private async scopesOf(user: UserRow): Promise<Scope[]> {
    return (await this.permissions.forUser(user)).scopes;
  }

  /** An authenticated caller: their permissions, and the scopes of this credential within them. */
  private async context(
    user: UserRow, via: AuthContext['via'], granted: Iterable<string> | null, tokenId?: number, deviceId?: string | null,
  ): Promise<AuthContext> {
    const permissions = await this.permissions.forUser(user);
    const scopes = granted === null ? permissions.scopes : intersectScopes(granted, permissions.scopes);
    return {
      user, scopes: new Set(scopes), via, permissions, ...(tokenId === undefined ? {} : { tokenId }), ...(deviceId ? { deviceId } : {}),
    };
  }

  /**
   * Spec §2.3 order: session cookie, Basic, client token, JWT. Null when nothing authenticates. `clientIp` keys the
   * failed-password throttle of HTTP Basic.
   */
  async authenticate(authorization: string | undefined, sessionId: string | undefined, clientIp: string): Promise<AuthContext | null> {
    if (sessionId) {
      const fromSession = await this.fromSession(sessionId);
      if (fromSession) return fromSession;
    }
    if (!authorization) return null;
    const parts = authorization.trim().split(/\s+/);
    if (parts.length !== 2) return null;
    const [scheme, credential] = parts as [string, string];
    switch (scheme.toLowerCase()) {
      case 'basic':
        return this.fromBasic(credential, clientIp);
      case 'bearer':
        return credential.startsWith('rmm_') ? this.fromClientToken(credential) : this.fromJwt(credential);
      default:
        return null;
    }
  }

  async login(authorization: string | undefined, clientIp: string): Promise<{ sessionId: string; user: UserRow }> {
    const basic = parseBasic(authorization);
    // A disabled account is told apart only after the password matched.
    const user = basic ? await this.passwords.check(basic.username, basic.password, clientIp) : null;
    if (!user) throw unauthorized('Incorrect username or password');
    if (!user.enabled) throw unauthorized('Disabled user');
    const sessionId = newSessionId();
    const now = nowMs();
    await this.repo.createSession(sha256Hex(sessionId), user.id, now + this.settings.sessionMaxAgeSeconds * 1000, now, user.token_generation);
    await this.users.touchLogin(user.id, now);
    return { sessionId, user };
  }

  /** Drops expired sessions and refresh-token ids; run periodically. */
  async purgeExpired(): Promise<void> {
    await this.repo.deleteExpired(nowMs());
    await this.passwords.purgeExpired();
  }

  async logout(sessionId: string | undefined): Promise<void> {
    if (sessionId) await this.repo.deleteSession(sha256Hex(sessionId));
  }

  /** Ends every credential of a user in this process at once (the database side is the caller's). */
  forgetUser(userId: number): void {
    this.basicCache.forgetUser(userId);
  }

  async token(form: TokenForm, clientIp: string): Promise<TokenResponse> {
    const grant = form.grant_type || 'password';
    if (grant === 'password') return this.passwordGrant(form, clientIp);
    if (grant === 'refresh_token') return this.refreshGrant(form);
    if (grant === 'client_credentials') throw badRequest('Client credentials are not yet supported');
    throw badRequest('Invalid or unsupported grant type');
  }

  private async passwordGrant(form: TokenForm, clientIp: string): Promise<TokenResponse> {
    if (!form.username || !form.password) throw badRequest('Missing username or password');
    const user = await this.passwords.check(form.username, form.password, clientIp);
    if (!user) throw new AppError(401, 'Invalid username or password', { 'www-authenticate': 'Bearer' });
    if (!user.enabled) throw forbidden('User account is disabled');
    const requested = parseScopeString(form.scope ?? '');
    const userScopes = await this.scopesOf(user);
    const allowed = new Set<string>(userScopes);
    if (requested.some((s) => !allowed.has(s))) throw forbidden('Insufficient scope');
    return this.issueTokens(user, intersectScopes(requested, userScopes));
  }

  private async refreshGrant(form: TokenForm): Promise<TokenResponse> {
    if (!form.refresh_token) throw badRequest('Missing refresh token');
    const claims = await this.jwt.verify(form.refresh_token);
    if (!claims || claims.iss !== OAUTH_ISSUER || claims.type !== 'refresh' || !claims.jti) throw invalidCredentials();
    if (!(await this.repo.consumeRefreshToken(claims.jti, nowMs()))) throw invalidCredentials();
    const user = await this.users.findByUsername(claims.sub);
    if (!user || !sameHolder(claims, user)) throw invalidCredentials();
    if (!user.enabled) throw unauthorized('Disabled user');
    return this.issueTokens(user, intersectScopes(parseScopeString(claims.scopes), await this.scopesOf(user)));
  }

  private async issueTokens(user: UserRow, scopes: Scope[]): Promise<TokenResponse> {
    const scopeText = scopes.join(' ');
    const jti = newJti();
    const gen = user.token_generation;
    const { accessTokenExpireSeconds: accessTtl, refreshTokenExpireSeconds: refreshTtl } = this.settings;
    const now = nowMs();
    await this.repo.recordRefreshToken(jti, user.id, now + refreshTtl * 1000, now);
    return {
      access_token: await this.jwt.sign({ sub: user.username, uid: user.id, scopes: scopeText, type: 'access', expiresInSeconds: accessTtl, gen }),
      refresh_token: await this.jwt.sign({ sub: user.username, uid: user.id, scopes: scopeText, type: 'refresh', expiresInSeconds: refreshTtl, jti, gen }),
      token_type: 'bearer',
      expires: accessTtl,
      refresh_expires: refreshTtl,
    };
  }

  private async fromSession(sessionId: string): Promise<AuthContext | null> {
    const session = await this.repo.findSession(sha256Hex(sessionId));
    if (!session) return null;
    const now = nowMs();
    if (session.expires_at < now) {
      await this.repo.deleteSession(session.id);
      return null;
    }
    const user = await this.users.findById(session.user_id);
    if (!user?.enabled || user.token_generation !== session.token_generation) {
      await this.repo.deleteSession(session.id);
      return null;
    }
    // last_active is informational: one write a minute per user is plenty.
    if (!user.last_active || now - user.last_active > 60_000) await this.users.touchActive(user.id, now);
    return this.context(user, 'session', null);
  }

  /**
   * Many clients send Basic on every request; bcrypt per request would cost ~0.2 s of CPU each, so verified
   * credentials are cached. A cached credential proves its sender knew the current password, so it is served even
   * while the account or address is blocked: an attacker's guesses never lock out the owner's running clients.
   */
  private async fromBasic(credential: string, clientIp: string): Promise<AuthContext | null> {
    const cached = this.basicCache.lookup(credential);
    if (cached) {
      const user = await this.users.findById(cached.userId);
      if (this.basicCache.stillValid(cached.key, user)) return this.context(user, 'basic', null);
    }
    const basic = decodeBasic(credential);
    if (!basic) return null;
    const user = await this.passwords.check(basic.username, basic.password, clientIp);
    if (!user?.enabled) return null;
    this.basicCache.remember(credential, user);
    return this.context(user, 'basic', null);
  }

  private async fromClientToken(raw: string): Promise<AuthContext | null> {
    const token = await this.repo.findClientTokenByHash(sha256Hex(raw));
    const now = nowMs();
    if (!token || (token.expires_at !== null && token.expires_at <= now)) return null;
    const user = await this.users.findById(token.user_id);
    if (!user?.enabled) return null;
    await this.repo.touchClientToken(token.id, now);
    if (token.device_id) await this.repo.touchDevice(token.device_id, now, DEVICE_SEEN_INTERVAL_MS);
    return this.context(user, 'client-token', parseScopeString(token.scopes), token.id, token.device_id);
  }

  private async fromJwt(token: string): Promise<AuthContext | null> {
    // Tokens from another issuer are not ours to judge: the request is simply unauthenticated.
    if (unverifiedIssuer(token) !== OAUTH_ISSUER) return null;
    const claims = await this.jwt.verify(token);
    if (!claims || claims.type !== 'access') throw invalidCredentials();
    const user = await this.users.findByUsername(claims.sub);
    // Tokens from before the user's last password change or disable carry an older generation.
    if (!user?.enabled || !sameHolder(claims, user)) throw invalidCredentials();
    return this.context(user, 'jwt', parseScopeString(claims.scopes));
  }
}

/**
 * The token was issued to this very account, at its current generation. Tokens signed before ids were stamped carry
 * none and are judged by name and generation alone until they expire.
 */
function sameHolder(claims: JwtClaims, user: UserRow): boolean {
  return claims.gen === user.token_generation && (claims.uid === undefined || claims.uid === user.id);
}

export function parseBasic(header: string | undefined): { username: string; password: string } | null {
  if (!header) return null;
  const parts = header.trim().split(/\s+/);
  if (parts.length !== 2 || parts[0]?.toLowerCase() !== 'basic') return null;
  return decodeBasic(parts[1] ?? '');
}

function decodeBasic(credential: string): { username: string; password: string } | null {
  const decoded = Buffer.from(credential, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon <= 0) return null;
  return { username: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
}
