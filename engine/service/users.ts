// What both front doors do with web users: create, list, delete, reset a password, check credentials, and make
// sure an admin exists when a web server starts (Airflow's simple auth manager and `airflow standalone`).
import fs from 'node:fs';
import path from 'node:path';
import { UserError } from '../types.js';
import type { Store } from '../state/store.js';
import type { Role, UserRow } from '../state/users.js';
import { dummyHash, generatePassword, hashPassword, verifyPassword } from './passwords.js';

export const ROLES: readonly Role[] = ['viewer', 'user', 'op', 'admin'];

/** viewer < user < op < admin: does `role` include everything `needed` may do? */
export function roleAtLeast(role: Role, needed: Role): boolean {
  return ROLES.indexOf(role) >= ROLES.indexOf(needed);
}

const USERNAME = /^[A-Za-z0-9._-]{1,64}$/;

/** The problem with a username, or null when it is fine. */
export function usernameProblem(username: string): string | null {
  if (!USERNAME.test(username)) return `username '${username}' must be 1 to 64 letters, digits, '.', '_' or '-'`;
  if (username === '.' || username === '..') return `username '${username}' is reserved`;
  return null;
}

export function parseRole(raw: string): Role {
  const role = raw.toLowerCase() as Role;
  if (!ROLES.includes(role)) throw new UserError(`role '${raw}' is not one of ${ROLES.join(', ')}`);
  return role;
}

function checkPassword(password: string): void {
  if (password.length < 8) throw new UserError('the password must have at least 8 characters');
}

export async function createUser(store: Store, o: { username: string; role: Role; password: string }): Promise<UserRow> {
  const problem = usernameProblem(o.username);
  if (problem) throw new UserError(problem);
  checkPassword(o.password);
  const hash = await hashPassword(o.password);
  if (!store.users.insert(o.username, o.role, hash)) throw new UserError(`user '${o.username}' already exists: pick another name or run \`dag users reset-password ${o.username}\``);
  store.events.add({ event: 'user.create', extra: { username: o.username, role: o.role } });
  return store.users.get(o.username)!;
}

export function deleteUser(store: Store, username: string): void {
  store.tx(() => {
    const user = store.users.get(username);
    if (!user) throw new UserError(`no user '${username}': see \`dag users list\``);
    if (user.role === 'admin' && store.users.countWithRole('admin') === 1) {
      throw new UserError(`'${username}' is the last admin: create another admin first`);
    }
    store.users.delete(username);
    store.events.add({ event: 'user.delete', extra: { username } });
  });
}

export async function resetPassword(store: Store, username: string, password: string): Promise<void> {
  checkPassword(password);
  const hash = await hashPassword(password);
  if (!store.users.setPassword(username, hash)) throw new UserError(`no user '${username}': see \`dag users list\``);
  store.events.add({ event: 'user.reset_password', extra: { username } });
}

/** The user these credentials belong to, or null. Takes as long for an unknown user as for a wrong password. */
export async function authenticate(store: Store, username: string, password: string): Promise<UserRow | null> {
  const user = store.users.get(username);
  const ok = await verifyPassword(password, user?.password_hash ?? dummyHash());
  return ok && user ? user : null;
}

export type AdminBootstrap =
  | { kind: 'exists' }
  | { kind: 'created'; password: string; file: string }
  | { kind: 'created-from-env' }
  | { kind: 'generated-before'; file: string }
  | { kind: 'name-taken' };

export function adminPasswordFile(home: string): string {
  return path.join(home, 'admin_password.txt');
}

/**
 * When no user has the admin role, create `admin` with `envPassword`, or with a generated password saved (mode
 * 0600) to $WINDSOCK_HOME/admin_password.txt for the caller to print once.
 */
export async function ensureAdmin(store: Store, home: string, envPassword: string | null): Promise<AdminBootstrap> {
  const file = adminPasswordFile(home);
  if (store.users.countWithRole('admin') > 0) return fs.existsSync(file) ? { kind: 'generated-before', file } : { kind: 'exists' };
  if (store.users.get('admin')) return { kind: 'name-taken' };
  const password = envPassword ?? generatePassword();
  const hash = await hashPassword(password);
  if (!store.users.insert('admin', 'admin', hash)) return { kind: 'exists' }; // another process was quicker
  store.events.add({ event: 'user.create', extra: { username: 'admin', role: 'admin' } });
  if (envPassword) return { kind: 'created-from-env' };
  fs.rmSync(file, { force: true });
  fs.writeFileSync(file, password + '\n', { mode: 0o600, flag: 'wx' });
  return { kind: 'created', password, file };
}
