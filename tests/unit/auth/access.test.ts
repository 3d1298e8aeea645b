import { describe, expect, it } from 'vitest';
import { canAccess, canRead, canWrite, ownedItem, requireAccess, type OwnedItem } from '../../../src/auth/access.ts';
import { AppError, notFound } from '../../../src/common/errors.ts';

const OWNER = 7;
const OTHER = 8;
const item = (isPublic: boolean): OwnedItem => ({ ownerId: OWNER, isPublic });

describe('per-item access', () => {
  it('reading: the owner always, anyone a public item, nobody else a private one', () => {
    expect(canRead(OWNER, item(false))).toBe(true);
    expect(canRead(OWNER, item(true))).toBe(true);
    expect(canRead(OTHER, item(true))).toBe(true);
    expect(canRead(null, item(true))).toBe(true);
    expect(canRead(OTHER, item(false))).toBe(false);
    expect(canRead(null, item(false))).toBe(false);
  });

  it('writing: the owner only, public or not', () => {
    expect(canWrite(OWNER, item(false))).toBe(true);
    expect(canWrite(OWNER, item(true))).toBe(true);
    expect(canWrite(OTHER, item(true))).toBe(false);
    expect(canWrite(null, item(true))).toBe(false);
    expect(canAccess(OTHER, item(true), 'read')).toBe(true);
    expect(canAccess(OTHER, item(true), 'write')).toBe(false);
  });

  it('an anonymous viewer never owns an item, whatever its owner id', () => {
    expect(canWrite(null, { ownerId: 0, isPublic: true })).toBe(false);
  });

  it('items from rows as the drivers return them', () => {
    expect(ownedItem({ user_id: 7, is_public: 1 })).toEqual({ ownerId: 7, isPublic: true });
    expect(ownedItem({ user_id: 7n, is_public: 0 })).toEqual({ ownerId: 7, isPublic: false });
    expect(ownedItem({ user_id: '7', is_public: true })).toEqual({ ownerId: 7, isPublic: true });
    expect(canRead(7, ownedItem({ user_id: '7', is_public: 0 }))).toBe(true);
  });

  it('requireAccess throws 403 by default, or the resource\'s own answer', () => {
    expect(() => requireAccess(OWNER, item(false), 'write')).not.toThrow();
    expect(() => requireAccess(OTHER, item(true), 'read')).not.toThrow();
    let thrown: unknown;
    try {
      requireAccess(OTHER, item(false), 'read');
    } catch (err) {
      thrown = err;
    }
    expect(thrown).toBeInstanceOf(AppError);
    expect(thrown).toMatchObject({ status: 403 });
    expect(() => requireAccess(OTHER, item(true), 'write', () => notFound('Note not found or not owned by user')))
      .toThrow(expect.objectContaining({ status: 404, detail: 'Note not found or not owned by user' }));
  });
});
