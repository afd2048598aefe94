// Deterministic pseudo-randomness for the simulator: the same inputs give the same numbers on every run and
// machine (no Math.random), so simulated values and injected faults can be reproduced and compared.

/** A 32-bit hash of integers (murmur3's finaliser over a running mix). */
export function hashInts(...xs: number[]): number {
  let h = 0x9e3779b9;
  for (const x of xs) {
    // Numbers beyond 32 bits (hour indexes are ~4.7e5, fine; epoch ms are not) fold their high part in first.
    const lo = x | 0;
    const hi = Math.floor(x / 4294967296) | 0;
    h = mix(h ^ lo);
    h = mix(h ^ hi);
  }
  return h >>> 0;
}

/** A 32-bit hash of a string (FNV-1a), for URLs. */
export function hashString(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  return mix(h) >>> 0;
}

/** A hash mapped to [0, 1). */
export function unit(h: number): number {
  return (h >>> 0) / 4294967296;
}

function mix(h: number): number {
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return h ^ (h >>> 16);
}
