// Access tokens as Airflow 3 issues them (api_fastapi/auth/tokens.py): HS512 JWTs with sub, role, jti, iat, nbf and
// exp, checked with a 10 s leeway. A token whose jti was revoked at logout no longer works.
import crypto from 'node:crypto';
import { SignJWT, jwtVerify, errors } from 'jose';
import type { Store } from '../../../engine/state/store.js';
import type { Role } from '../../../engine/state/users.js';
import { ROLES } from '../../../engine/service/users.js';
import { ApiError } from '../errors.js';

export interface Claims {
  sub: string;
  role: Role;
  jti: string;
  exp: number;
}

const LEEWAY_SEC = 10;

export class Tokens {
  constructor(
    private readonly secret: Uint8Array,
    private readonly lifetimeSec: number,
    private readonly store: Store,
  ) {}

  issue(user: { username: string; role: Role }, now = new Date()): Promise<string> {
    const iat = Math.floor(now.getTime() / 1000);
    return new SignJWT({ role: user.role })
      .setProtectedHeader({ alg: 'HS512', typ: 'JWT' })
      .setSubject(user.username)
      .setJti(crypto.randomUUID())
      .setIssuedAt(iat)
      .setNotBefore(iat)
      .setExpirationTime(iat + this.lifetimeSec)
      .sign(this.secret);
  }

  /** The token's claims; 401 `Token Expired` or 403 `Invalid JWT token` otherwise, as Airflow answers. */
  async verify(token: string): Promise<Claims> {
    let payload;
    try {
      ({ payload } = await jwtVerify(token, this.secret, { algorithms: ['HS512'], clockTolerance: LEEWAY_SEC, requiredClaims: ['sub', 'jti', 'exp'] }));
    } catch (err) {
      if (err instanceof errors.JWTExpired) throw new ApiError(401, 'Token Expired');
      throw new ApiError(403, 'Invalid JWT token');
    }
    const { sub, jti, exp, role } = payload;
    if (typeof sub !== 'string' || typeof jti !== 'string' || typeof exp !== 'number' || !ROLES.includes(role as Role)) {
      throw new ApiError(403, 'Invalid JWT token');
    }
    if (this.store.users.isRevoked(jti)) throw new ApiError(403, 'Invalid JWT token');
    return { sub, jti, exp, role: role as Role };
  }

  revoke(claims: Claims): void {
    this.store.users.revokeToken(claims.jti, new Date((claims.exp + LEEWAY_SEC) * 1000));
  }
}
