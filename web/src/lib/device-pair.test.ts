import { describe, expect, it } from 'vitest';
import { approvedScopes, formatUserCode, isUserCode, normalizeUserCode, userCodeFromSearch } from './device-pair';

describe('device sign-in codes', () => {
  it('normalizes codes as the server does', () => {
    expect(normalizeUserCode(' abcd-efgh ')).toBe('ABCDEFGH');
    expect(normalizeUserCode('ab cd 23')).toBe('ABCD23');
  });

  it('accepts only 8 characters of the code alphabet', () => {
    expect(isUserCode('wxyz-2345')).toBe(true);
    expect(isUserCode('ABCD-EFG')).toBe(false);
    // I, L, O, 0 and 1 are left out of the alphabet (easily confused).
    expect(isUserCode('ABCD-EFGI')).toBe(false);
    expect(isUserCode('ABCD-EF01')).toBe(false);
  });

  it('formats a full code in two groups and leaves partial input alone', () => {
    expect(formatUserCode('abcdefgh')).toBe('ABCD-EFGH');
    expect(formatUserCode('abc')).toBe('ABC');
  });

  it('reads the code of a QR link', () => {
    expect(userCodeFromSearch('?user_code=abcd-efgh')).toBe('ABCDEFGH');
    expect(userCodeFromSearch('?other=1')).toBe('');
    expect(userCodeFromSearch('')).toBe('');
  });

  it('approves only ticked scopes the server allows, in its order', () => {
    expect(approvedScopes(['me.read', 'roms.read', 'devices.write'], new Set(['devices.write', 'me.read', 'users.write'])))
      .toEqual(['me.read', 'devices.write']);
  });
});
