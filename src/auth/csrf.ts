import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

export const CSRF_COOKIE = 'romm_csrftoken';
export const CSRF_HEADER = 'x-csrftoken';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS', 'TRACE']);
const EXEMPT = [/^\/api\/token(\/|$)/, /^\/api\/client-tokens\/exchange\/?$/, /^\/api\/client-tokens\/pair\/[^/]+\/status\/?$/,
  // RomM exempts the device side of device-code authorization: the device has no session or cookie.
  /^\/api\/auth\/device\/(init|token)\/?$/,
];

/** Double-submit cookie bound to a user id and signed, so a cookie planted by a sibling host cannot be replayed. */
export class CsrfGuard {
  constructor(private readonly secret: string) {}

  issue(userId: number | null): string {
    const token = randomBytes(18).toString('base64url');
    const uid = userId ?? 0;
    return `${token}.${uid}.${this.sign(token, uid)}`;
  }

  /** The user id a valid cookie is bound to (0 for anonymous), or null when it is forged or malformed. */
  boundUser(cookie: string | undefined): number | null {
    if (!cookie) return null;
    const [token, uidText, sig] = cookie.split('.');
    if (!token || !uidText || !sig || !/^\d+$/.test(uidText)) return null;
    const uid = Number(uidText);
    const expected = Buffer.from(this.sign(token, uid));
    const given = Buffer.from(sig);
    return expected.length === given.length && timingSafeEqual(expected, given) ? uid : null;
  }

  /** Requests that must carry the header: unsafe methods without an Authorization credential. */
  static needsCheck(method: string, path: string, authorization: string | undefined): boolean {
    if (SAFE_METHODS.has(method)) return false;
    if (authorization && /^(basic|bearer)\s/i.test(authorization.trim())) return false;
    return !EXEMPT.some((re) => re.test(path));
  }

  verify(cookie: string | undefined, header: string | undefined, userId: number | null): boolean {
    if (!cookie || !header || cookie !== header) return false;
    const bound = this.boundUser(cookie);
    return bound !== null && bound === (userId ?? 0);
  }

  private sign(token: string, uid: number): string {
    return createHmac('sha256', this.secret).update(`csrf:${token}:${uid}`).digest('base64url');
  }
}
