// The `user` and `revoked_token` tables: who may use the web server, with which role, and which tokens were
// revoked before they expired. Hashing and rules live in engine/service/users.ts; this is storage only.
import { statementCache, type Db, type Sql } from './db.js';
import { iso } from './rows.js';

export type Role = 'viewer' | 'user' | 'op' | 'admin';

export interface UserRow {
  id: number;
  username: string;
  role: Role;
  /** scrypt$N$r$p$salt$hash, base64 (engine/service/passwords.ts) */
  password_hash: string;
  created_at: string;
}

export class UserRepo {
  private readonly sql: Sql;

  constructor(db: Db) {
    this.sql = statementCache(db);
  }

  get(username: string): UserRow | undefined {
    return this.sql('SELECT * FROM user WHERE username = ?').get(username) as UserRow | undefined;
  }

  list(): UserRow[] {
    return this.sql('SELECT * FROM user ORDER BY username').all() as UserRow[];
  }

  /** false when the username is taken. */
  insert(username: string, role: Role, passwordHash: string): boolean {
    return this.sql('INSERT INTO user (username, role, password_hash, created_at) VALUES (?, ?, ?, ?) ON CONFLICT (username) DO NOTHING')
      .run(username, role, passwordHash, iso()).changes > 0;
  }

  setPassword(username: string, passwordHash: string): boolean {
    return this.sql('UPDATE user SET password_hash = ? WHERE username = ?').run(passwordHash, username).changes > 0;
  }

  delete(username: string): boolean {
    return this.sql('DELETE FROM user WHERE username = ?').run(username).changes > 0;
  }

  countWithRole(role: Role): number {
    return this.sql('SELECT count(*) FROM user WHERE role = ?').pluck().get(role) as number;
  }

  /** Revoke a token until it would have expired anyway; expired entries are dropped on the way. */
  revokeToken(jti: string, expiresAt: Date, now = new Date()): void {
    this.sql('DELETE FROM revoked_token WHERE expires_at < ?').run(iso(now));
    this.sql('INSERT INTO revoked_token (jti, expires_at) VALUES (?, ?) ON CONFLICT (jti) DO NOTHING').run(jti, iso(expiresAt));
  }

  isRevoked(jti: string): boolean {
    return this.sql('SELECT 1 FROM revoked_token WHERE jti = ?').pluck().get(jti) !== undefined;
  }
}
