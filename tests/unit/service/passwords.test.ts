// Password hashes: scrypt at the cost WINDSOCK_PASSWORD_COST names, and a stored hash checked at the cost it was made with.
import { describe, expect, it } from 'vitest';
import { engineSettings } from '../../../engine/settings.js';
import { dummyHash, hashPassword, verifyPassword } from '../../../engine/service/passwords.js';

describe('password hashes', () => {
  it('are scrypt with N = 16384 unless WINDSOCK_PASSWORD_COST says otherwise', async () => {
    expect(engineSettings({}).passwordCostN).toBe(16384);
    expect(engineSettings({ WINDSOCK_PASSWORD_COST: '10' }).passwordCostN).toBe(1024);
    const hash = await hashPassword('correct horse', engineSettings({}).passwordCostN);
    expect(hash).toMatch(/^scrypt\$16384\$8\$1\$[A-Za-z0-9+/=]{24}\$[A-Za-z0-9+/=]{44}$/);
    expect(await verifyPassword('correct horse', hash)).toBe(true);
    expect(await verifyPassword('correct horsf', hash)).toBe(false);
  });

  it('made at one cost still verify once the cost changed, and two hashes of one password differ (salt)', async () => {
    const cheap = await hashPassword('pw-12345678', 1024);
    const again = await hashPassword('pw-12345678', 1024);
    expect(cheap.startsWith('scrypt$1024$')).toBe(true);
    expect(cheap).not.toBe(again);
    expect(await verifyPassword('pw-12345678', cheap)).toBe(true);
    expect(await verifyPassword('pw-12345678', 'bcrypt$whatever')).toBe(false);
  });

  it('an unknown user is checked against a hash at the current cost, which no password matches', async () => {
    expect(dummyHash(1024).startsWith('scrypt$1024$8$1$')).toBe(true);
    expect(await verifyPassword('', dummyHash(1024))).toBe(false);
  });

  it('a cost outside 10-20 is one line naming the variable', () => {
    expect(() => engineSettings({ WINDSOCK_PASSWORD_COST: '21' })).toThrow(/^WINDSOCK_PASSWORD_COST=21 is not a whole number from 10 to 20: unset it or set e.g. WINDSOCK_PASSWORD_COST=14$/);
    expect(() => engineSettings({ WINDSOCK_PASSWORD_COST: '9' })).toThrow(/WINDSOCK_PASSWORD_COST=9 is not a whole number from 10 to 20/);
  });
});
