import { describe, expect, it } from 'vitest';
import { BAD_KEYS } from './bad-keys.js';
import { checkKey, checkPrefix, InvalidLakeKeyError, keyProblem } from '../../../tasks/lake/lake-key.js';


describe('lake keys', () => {
  it('accepts ordinary relative keys', () => {
    for (const key of ['raw/openaq/ds=2024-04-20/_manifest.json', 'a', 'star/fact_measurement/ds=2024-04-20/part-0.parquet', '.hidden', 'a..b/c.json', 'é/ü.json']) {
      expect(keyProblem(key), key).toBeNull();
      expect(checkKey(key)).toBe(key);
    }
  });

  it('rejects every key that could leave the root or is not a plain path, naming the key', () => {
    for (const key of BAD_KEYS) {
      expect(keyProblem(key), JSON.stringify(key)).not.toBeNull();
      expect(() => checkKey(key)).toThrow(InvalidLakeKeyError);
      expect(() => checkKey(key)).toThrow(JSON.stringify(key).slice(0, 40));
    }
  });

  it('says what is wrong', () => {
    expect(() => checkKey('raw/../x')).toThrow('invalid lake key "raw/../x": has a ".." segment');
    expect(() => checkKey('/abs')).toThrow('is absolute');
    expect(() => checkKey('a\0b')).toThrow('NUL');
    expect(() => checkKey('a//b')).toThrow('empty segment');
  });

  it('normalises prefixes to folders and validates them like keys', () => {
    expect(checkPrefix('')).toBe('');
    expect(checkPrefix('raw/openaq')).toBe('raw/openaq/');
    expect(checkPrefix('raw/openaq/')).toBe('raw/openaq/');
    for (const bad of ['/', '../', 'raw//', 'raw/../x/', '/raw/']) expect(() => checkPrefix(bad), bad).toThrow(InvalidLakeKeyError);
  });
});
