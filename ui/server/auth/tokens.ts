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
/** Tokens whose signature is remembered as checked: the active sessions of a busy install, and a bound. */
const MAX_VERIFIED = 1000;

export class Tokens {
  /** The secret imported once as an HMAC key: importing it on every verify cost as much as the verify itself. */
  private readonly key: Promise<CryptoKey>;
  private readonly verified = new Map<string, Claims>();

  constructor(
    secret: Uint8Array,
    private readonly lifetimeSec: number,
    private readonly store: Store,
  ) {
    this.key = crypto.webcrypto.subtle.importKey('raw', secret, { name: 'HMAC', hash: 'SHA-512' }, false, ['sign', 'verify']);
  }

  async issue(user: { username: string; role: Role }, now = new Date()): Promise<string> {
    const iat = Math.floor(now.getTime() / 1000);
    return new SignJWT({ role: user.role })
      .setProtectedHeader({ alg: 'HS512', typ: 'JWT' })
      .setSubject(user.username)
      .setJti(crypto.randomUUID())
      .setIssuedAt(iat)
      .setNotBefore(iat)
      .setExpirationTime(iat + this.lifetimeSec)
      .sign(await this.key);
  }

  /** The token's claims; 401 `Token Expired` or 403 `Invalid JWT token` otherwise, as Airflow answers. */
  async verify(token: string): Promise<Claims> {
    const known = this.verified.get(token);
    const claims = known && this.unexpired(known) ? known : await this.check(token);
    // Revocation is read on every request, so a logout takes effect at once even for a token checked before.
    if (this.store.users.isRevoked(claims.jti)) throw new ApiError(403, 'Invalid JWT token');
    return claims;
  }

  /** Whether a token with these claims is still within its lifetime (and the leeway). */
  unexpired(claims: Claims, now = Date.now()): boolean {
    return claims.exp + LEEWAY_SEC > now / 1000;
  }

  /** The signature and claims, checked once per token string and remembered until it expires (a bounded set). */
  private async check(token: string): Promise<Claims> {
    this.verified.delete(token);
    let payload;
    try {
      ({ payload } = await jwtVerify(token, await this.key, { algorithms: ['HS512'], clockTolerance: LEEWAY_SEC, requiredClaims: ['sub', 'jti', 'exp'] }));
    } catch (err) {
      if (err instanceof errors.JWTExpired) throw new ApiError(401, 'Token Expired');
      throw new ApiError(403, 'Invalid JWT token');
    }
    const { sub, jti, exp, role } = payload;
    if (typeof sub !== 'string' || typeof jti !== 'string' || typeof exp !== 'number' || !ROLES.includes(role as Role)) {
      throw new ApiError(403, 'Invalid JWT token');
    }
    const claims = { sub, jti, exp, role: role as Role };
    if (this.verified.size >= MAX_VERIFIED) this.verified.delete(this.verified.keys().next().value!);
    this.verified.set(token, claims);
    return claims;
  }

  revoke(claims: Claims): void {
    this.store.users.revokeToken(claims.jti, new Date((claims.exp + LEEWAY_SEC) * 1000));
  }
}
