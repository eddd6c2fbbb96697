/**
 * Seeded random numbers so every fit is reproducible (no Math.random anywhere in the core).
 * mulberry32 seeded through splitmix32, which spreads nearby seeds (0, 1, 2, …) apart.
 */
export type Rng = () => number;

function splitmix32(seed: number): number {
  let z = (seed + 0x9e3779b9) | 0;
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
  return (z ^ (z >>> 16)) >>> 0;
}

/** A uniform generator on [0, 1) from an integer seed. */
export function mulberry32(seed: number): Rng {
  return mulberry32At(seed, 0);
}

/**
 * mulberry32(seed) after `skip` numbers were drawn, in constant time: its state only ever advances
 * by 0x6d2b79f5 (mod 2^32), so resample r of a bootstrap can start where a sequential loop would.
 */
export function mulberry32At(seed: number, skip: number): Rng {
  const k = Math.floor(skip);
  // skip · 0x6d2b79f5 mod 2^32, exact for any skip below 2^53 (split into 2^26-sized halves).
  const hi = Math.floor(k / 67108864), lo = k - hi * 67108864;
  const step = (Math.imul(lo | 0, 0x6d2b79f5) + Math.imul(Math.imul(hi | 0, 67108864), 0x6d2b79f5)) | 0;
  let a = (splitmix32(Math.floor(seed) | 0) + step) | 0;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Standard normal deviate (Box–Muller, one of the pair). */
export function normal(rng: Rng): number {
  let u = rng();
  while (u <= 0) u = rng();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rng());
}

/**
 * Fills `counts` with bootstrap multiplicities: n draws with replacement from 0..n-1
 * (pairs bootstrap). counts[i] = how often point i was drawn.
 */
export function resampleCounts(rng: Rng, counts: Float64Array): void {
  const n = counts.length;
  counts.fill(0);
  for (let i = 0; i < n; i++) counts[Math.floor(rng() * n)] += 1;
}

/**
 * Moving-block bootstrap multiplicities for ordered, autocorrelated data (a loss curve):
 * blocks of `block` consecutive points with random starts until n points are drawn.
 */
export function blockResampleCounts(rng: Rng, counts: Float64Array, block: number): void {
  const n = counts.length;
  counts.fill(0);
  const b = Math.max(1, Math.min(n, Math.floor(block)));
  let drawn = 0;
  while (drawn < n) {
    const start = Math.floor(rng() * (n - b + 1));
    for (let j = 0; j < b && drawn < n; j++, drawn++) counts[start + j] += 1;
  }
}

/** Percentile (linear interpolation, like numpy's default) of a sample; sorts a copy. */
export function percentile(values: ArrayLike<number>, q: number): number {
  const v = Float64Array.from(values).filter((x) => Number.isFinite(x)).sort();
  if (v.length === 0) return NaN;
  const pos = (v.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.min(v.length - 1, lo + 1);
  return v[lo] + (v[hi] - v[lo]) * (pos - lo);
}
