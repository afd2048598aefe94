// The key that signs access tokens: WINDSOCK_SECRET_KEY when set (several web servers sharing one), otherwise a
// random per-install secret generated once into $WINDSOCK_HOME/jwt_secret, readable by its owner only.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

export function jwtSecretFile(home: string): string {
  return path.join(home, 'jwt_secret');
}

export function loadJwtSecret(home: string, secretKey: string | null): Uint8Array {
  if (secretKey) return new TextEncoder().encode(secretKey);
  const file = jwtSecretFile(home);
  try {
    fs.writeFileSync(file, crypto.randomBytes(64).toString('base64url') + '\n', { mode: 0o600, flag: 'wx' });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err; // there already: keep it (and its tokens valid)
  }
  return new TextEncoder().encode(fs.readFileSync(file, 'utf8').trim());
}
