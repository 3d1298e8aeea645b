/** Pure helpers of the device sign-in page (RomM's `/pair/device`). */

const USER_CODE_ALPHABET = 'ABCDEFGHJKMNPQRSTUVWXYZ23456789';

/** As the server reads a code: dashes and spaces dropped, upper case. */
export function normalizeUserCode(input: string): string {
  return input.replace(/[-\s]/g, '').toUpperCase();
}

/** Whether a typed code can be a user code at all (8 characters of the code alphabet), so no request is wasted. */
export function isUserCode(input: string): boolean {
  const code = normalizeUserCode(input);
  return code.length === 8 && [...code].every((c) => USER_CODE_ALPHABET.includes(c));
}

/** `ABCD-EFGH`, easier to compare with the device's screen. */
export function formatUserCode(input: string): string {
  const code = normalizeUserCode(input);
  return code.length === 8 ? `${code.slice(0, 4)}-${code.slice(4)}` : code;
}

/** The code a QR link (`/pair/device?user_code=…`) carries, or ''. */
export function userCodeFromSearch(search: string): string {
  return normalizeUserCode(new URLSearchParams(search).get('user_code') ?? '');
}

export const EXPIRY_CHOICES = [
  { value: '30d', label: '30 days' },
  { value: '90d', label: '90 days' },
  { value: '1y', label: '1 year' },
  { value: 'never', label: 'Never' },
] as const;

/** Scopes to send on approval: the ticked ones the server allows, in its order. */
export function approvedScopes(allowed: readonly string[], ticked: ReadonlySet<string>): string[] {
  return allowed.filter((s) => ticked.has(s));
}
