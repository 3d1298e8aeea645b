import type { UserRow, UsersRepository } from '../../db/repositories/users-repository.ts';
import type { AuthContext } from '../../auth/context.ts';
import { hashPassword } from '../../auth/passwords.ts';
import { LEGACY_GROUP_NAMES, parseRoleInput, type RoleInput } from '../../auth/permissions.ts';
import type { PermissionsResolver } from '../../auth/permissions-resolver.ts';
import type { PermissionsRepository } from '../../db/repositories/permissions-repository.ts';
import type { UserSchema } from '../../contract/user.ts';
import { toUserSchema } from './mapper.ts';
import { badRequest, forbidden, notFound } from '../../common/errors.ts';
import { nowMs } from '../../common/time.ts';

export interface CreateUserInput {
  username: string;
  password: string;
  email?: string | null | undefined;
  role: string;
}

const USERNAME = /^[A-Za-z0-9_.@-]{1,255}$/;
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

export class UsersService {
  constructor(
    private readonly users: UsersRepository,
    private readonly passwordCost: number,
    private readonly permissions: PermissionsRepository,
    private readonly resolver: PermissionsResolver,
  ) {}

  /** RomM's `UserSchema`, with the scopes the user's role and group project to. */
  async schema(user: UserRow): Promise<UserSchema> {
    return toUserSchema(user, (await this.resolver.forUser(user)).scopes);
  }

  /** The group a role written the old way maps to; null (the default group) when that group was deleted. */
  async groupFor(input: RoleInput): Promise<number | null> {
    if (!input.legacyGroup) return null;
    return (await this.permissions.findGroupByName(LEGACY_GROUP_NAMES[input.legacyGroup]))?.id ?? null;
  }

  async setupRequired(): Promise<boolean> {
    return (await this.users.countAdmins()) === 0;
  }

  list(): Promise<UserRow[]> {
    return this.users.list();
  }

  async get(id: number): Promise<UserRow> {
    const user = await this.users.findById(id);
    if (!user) throw notFound('User not found');
    return user;
  }

  /**
   * While no admin exists anyone may create the first account, which is always an admin; afterwards the caller
   * needs users.write, and only admins create admins.
   */
  async create(input: CreateUserInput, caller: AuthContext | null): Promise<UserRow> {
    const firstRun = await this.setupRequired();
    if (!firstRun && !caller?.scopes.has('users.write')) {
      throw caller ? forbidden() : forbidden('Forbidden');
    }
    const role = parseRole(input.role);
    if (!firstRun && role.role === 'admin' && caller?.user.role !== 'admin') {
      throw forbidden('Only an administrator can create admin users');
    }
    return this.insert({ ...input, role: firstRun ? { role: 'admin', legacyGroup: null } : role });
  }

  /** Shell path (`romshelf user create`): the operator owns the machine, so no caller check. */
  async createFromCli(input: CreateUserInput): Promise<UserRow> {
    return this.insert({ ...input, role: parseRole(input.role) });
  }

  private async insert(input: Omit<CreateUserInput, 'role'> & { role: RoleInput }): Promise<UserRow> {
    const username = input.username.trim().toLowerCase();
    if (!username) throw badRequest('Username cannot be empty');
    if (!USERNAME.test(username)) {
      throw badRequest('Username may only contain letters, digits and . _ - @ (at most 255 characters)');
    }
    if (!input.password || !input.password.trim()) throw badRequest('Password cannot be empty');
    if (input.password.length > 72) throw badRequest('Password must be at most 72 characters');
    const email = input.email?.trim().toLowerCase() || null;
    if (email && !EMAIL.test(email)) throw badRequest('Invalid email format');
    if (await this.users.findByUsername(username)) throw badRequest(`Username ${username} already exists`);
    if (email && (await this.users.findByEmail(email))) throw badRequest(`User with email ${email} already exists`);
    return this.users.insert(
      {
        username, email, hashed_password: await hashPassword(input.password, this.passwordCost),
        role: input.role.role, permission_group_id: await this.groupFor(input.role),
      },
      nowMs(),
    );
  }
}

export function parseRole(value: string): RoleInput {
  const role = parseRoleInput(value);
  if (!role) throw badRequest(`Invalid role '${value}': use admin or user (or the older editor or viewer)`);
  return role;
}
