import { isOrgAdmin, type Actor } from '../../core/actor.js';
import { AppError, forbidden, notFound } from '../../core/errors.js';
import { newId } from '../../core/ids.js';
import { inTransaction } from '../../db/index.js';
import type { IdentityDeps } from './auth.service.js';
import { normalizeEmail, toUser, type User } from './identity.js';
import type { CreateUserInput, UpdateUserInput } from './identity.schema.js';
import { hashPassword } from './password.js';
import { revokeSessionsOfUser } from './sessions.store.js';
import {
  insertUser,
  selectUserByEmail,
  selectUserById,
  selectUsers,
  updateUserRow,
} from './users.store.js';

/** Managing the people who can sign in: organisation admins only. */
export class UsersService {
  constructor(private readonly deps: IdentityDeps) {}

  async list(actor: Actor): Promise<User[]> {
    if (!isOrgAdmin(actor)) throw forbidden('Only organisation admins can list users');
    return (await selectUsers(this.deps.db)).map(toUser);
  }

  async create(actor: Actor, input: CreateUserInput): Promise<User> {
    if (!isOrgAdmin(actor)) throw forbidden('Only organisation admins can create users');
    const email = normalizeEmail(input.email);
    const { db, clock } = this.deps;
    if (await selectUserByEmail(db, email)) {
      throw new AppError({
        kind: 'conflict',
        code: 'USER_EMAIL_TAKEN',
        field: 'email',
        message: 'A user with this email exists',
      });
    }
    const hash = await hashPassword(input.password);
    const now = clock.now();
    const row = {
      id: newId(),
      email,
      name: input.name,
      password_hash: hash,
      is_org_admin: input.isOrgAdmin ? 1 : 0,
      disabled: 0,
      password_changed_at: now,
      created_at: now,
    };
    await inTransaction(db, async (trx) => {
      await insertUser(trx, row);
      await this.deps.audit.record(trx, actor, {
        action: 'user.created',
        targetType: 'user',
        targetId: row.id,
        after: toUser(row),
      });
    });
    return toUser(row);
  }

  /** Renames, promotes/demotes or disables a user; disabling revokes their sessions. */
  async update(actor: Actor, id: string, input: UpdateUserInput): Promise<User> {
    if (!isOrgAdmin(actor)) throw forbidden('Only organisation admins can change users');
    const { db, clock } = this.deps;
    const before = await selectUserById(db, id);
    if (!before) throw notFound('User', 'USER_NOT_FOUND');
    if (
      actor.type === 'user' &&
      actor.userId === id &&
      (input.isOrgAdmin === false || input.disabled === true)
    ) {
      throw new AppError({
        kind: 'conflict',
        code: 'USER_CANNOT_DEMOTE_SELF',
        message: 'You cannot remove your own admin rights or disable yourself',
      });
    }
    const set = {
      ...(input.name !== undefined ? { name: input.name } : {}),
      ...(input.isOrgAdmin !== undefined ? { is_org_admin: input.isOrgAdmin ? 1 : 0 } : {}),
      ...(input.disabled !== undefined ? { disabled: input.disabled ? 1 : 0 } : {}),
    };
    const after = { ...before, ...set };
    await inTransaction(db, async (trx) => {
      if (Object.keys(set).length > 0) await updateUserRow(trx, id, set);
      if (input.disabled === true) await revokeSessionsOfUser(trx, id, clock.now());
      await this.deps.audit.record(trx, actor, {
        action: 'user.updated',
        targetType: 'user',
        targetId: id,
        before: toUser(before),
        after: toUser(after),
      });
    });
    return toUser(after);
  }
}
