// Password hashing with node:crypto's scrypt and a random salt per password, stored as one self-describing string
// (scrypt$N$r$p$salt$hash, base64) so the cost can be raised later without breaking stored hashes.
import crypto from 'node:crypto';
import { promisify } from 'node:util';
import { engineSettings } from '../settings.js';

const scrypt = promisify(crypto.scrypt) as (pw: string, salt: Buffer, len: number, o: crypto.ScryptOptions) => Promise<Buffer>;

// N from WINDSOCK_PASSWORD_COST (16384 by default, the cost Node's docs give as scrypt's default); tests lower it, as
// Django's docs advise a fast hasher for tests (https://docs.djangoproject.com/en/stable/topics/testing/overview/#password-hashing).
const R = 8;
const P = 1;
const KEY_LEN = 32;
const MAXMEM = 64 * 1024 * 1024;

export async function hashPassword(password: string, N = engineSettings().passwordCostN): Promise<string> {
  const salt = crypto.randomBytes(16);
  return encode(N, salt, await scrypt(password, salt, KEY_LEN, { N, r: R, p: P, maxmem: MAXMEM }));
}

/** scrypt$N$r$p$salt$hash, base64, as stored. */
function encode(N: number, salt: Buffer, hash: Buffer): string {
  return ['scrypt', N, R, P, salt.toString('base64'), hash.toString('base64')].join('$');
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [kind, N, r, p, salt, hash] = stored.split('$');
  if (kind !== 'scrypt' || !salt || !hash) return false;
  const expected = Buffer.from(hash, 'base64');
  const got = await scrypt(password, Buffer.from(salt, 'base64'), expected.length, { N: Number(N), r: Number(r), p: Number(p), maxmem: MAXMEM });
  return crypto.timingSafeEqual(got, expected);
}

/** A hash of nothing in particular, at the cost new hashes get, checked against when the user does not exist, so both cases take as long. */
export function dummyHash(N = engineSettings().passwordCostN): string {
  return encode(N, Buffer.alloc(16), Buffer.alloc(KEY_LEN));
}

/** 16 characters from an alphabet without look-alikes, as Airflow's simple auth manager generates them. */
export function generatePassword(length = 16): string {
  const alphabet = 'abcdefghkmnpqrstuvwxyzABCDEFGHKMNPQRSTUVWXYZ23456789';
  return Array.from({ length }, () => alphabet[crypto.randomInt(alphabet.length)]).join('');
}
