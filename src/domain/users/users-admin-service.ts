import type { Updateable } from 'kysely';
import type { AuthContext } from '../../auth/context.ts';
import type { RoleInput } from '../../auth/permissions.ts';
import { hashPassword } from '../../auth/passwords.ts';
import type { UsersAdminRepository } from '../../db/repositories/users-admin-repository.ts';
import type { UserRow, UsersRepository } from '../../db/repositories/users-repository.ts';
import type { UsersTable } from '../../db/schema.ts';
import { badRequest, forbidden, notFound } from '../../common/errors.ts';
import { nowMs } from '../../common/time.ts';
import { parseRole } from './users-service.ts';

/** RomM's `UserForm`: every field optional; absent means keep. */
export interface UserUpdate {
  username?: string | undefined;
  password?: string | undefined;
  email?: string | undefined;
  role?: string | undefined;
  enabled?: boolean | undefined;
  ra_username?: string | undefined;
  ui_settings?: string | undefined;
}

/** Drops what this process caches about a user's credentials (verified Basic credentials). */
export interface CredentialCache {
  forgetUser(userId: number): void;
}

const USERNAME = /^[A-Za-z0-9_.@-]{1,255}$/;
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** Edit and delete users with RomM's rules: self-service for everyone, everything else for admins. */
export class UsersAdminService {
  constructor(
    private readonly users: UsersRepository,
    private readonly admin: UsersAdminRepository,
    private readonly passwordCost: number,
    private readonly credentials: CredentialCache,
    private readonly groupFor: (role: RoleInput) => Promise<number | null>,
    private readonly onPermissionsChanged: (userId: number) => void,
  ) {}

  async update(id: number, form: UserUpdate, caller: AuthContext): Promise<UserRow> {
    const user = await this.users.findById(id);
    if (!user) throw notFound(`Username with id ${id} not found`);
    const self = caller.user.id === id;
    if (!self && caller.user.role !== 'admin') throw forbidden();

    const changes: Updateable<UsersTable> = {};
    if (form.username && form.username.toLowerCase() !== user.username) {
      const username = form.username.trim().toLowerCase();
      if (!USERNAME.test(username)) throw badRequest('Username may only contain letters, digits and . _ - @ (at most 255 characters)');
      if (await this.users.findByUsername(username)) throw badRequest(`Username ${form.username} already exists`);
      changes.username = username;
    }
    if (form.password) {
      if (form.password.length > 72) throw badRequest('Password must be at most 72 characters');
      changes.hashed_password = await hashPassword(form.password, this.passwordCost);
    }
    if (form.email !== undefined && form.email.trim().toLowerCase() !== (user.email ?? '')) {
      const email = form.email.trim().toLowerCase();
      if (email && !EMAIL.test(email)) throw badRequest('Invalid email format');
      if (email && (await this.users.findByEmail(email))) throw badRequest(`User with email ${email} already exists`);
      changes.email = email || null;
    }
    // Nobody changes their own role or disables themselves; the last admin stays an admin.
    if (form.role && !self) {
      const role = parseRole(form.role);
      if (user.role === 'admin' && role.role !== 'admin' && (await this.users.countAdmins()) === 1) {
        throw badRequest('You cannot demote the last admin user');
      }
      changes.role = role.role;
      // `user` keeps the current group; the older role names move the user into their legacy group.
      if (role.legacyGroup) changes.permission_group_id = await this.groupFor(role);
    }
    if (form.enabled !== undefined && !self) changes.enabled = form.enabled ? 1 : 0;
    if (form.ra_username) changes.ra_username = form.ra_username;
    if (form.ui_settings !== undefined) changes.ui_settings = parseUiSettings(form.ui_settings);

    if (Object.keys(changes).length > 0) {
      // A new password or a disable ends every session and token issued to the user, the caller's own included
      // (as RomM clears the session of a user changing their own credentials); client API tokens stay.
      if (changes.hashed_password || changes.enabled === 0) {
        await this.admin.updateAndRevoke(id, { ...changes, updated_at: nowMs() });
        this.credentials.forgetUser(id);
      } else {
        await this.admin.update(id, { ...changes, updated_at: nowMs() });
      }
    }
    if (changes.role !== undefined || changes.permission_group_id !== undefined) this.onPermissionsChanged(id);
    const updated = await this.users.findById(id);
    if (!updated) throw notFound(`Username with id ${id} not found`);
    return updated;
  }

  async delete(id: number, caller: AuthContext): Promise<void> {
    const user = await this.users.findById(id);
    if (!user) throw notFound('User not found');
    if (caller.user.id === id) throw badRequest('You cannot delete yourself');
    if (user.role === 'admin' && (await this.users.countAdmins()) === 1) {
      throw badRequest('You cannot delete the last admin user');
    }
    await this.admin.delete(id);
  }
}

function parseUiSettings(text: string): string {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw badRequest(`Invalid ui_settings JSON: ${(error as Error).message}`);
  }
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) throw badRequest(`Invalid ui_settings JSON: ${text}`);
  return JSON.stringify(parsed);
}
