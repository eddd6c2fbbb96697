// The sample generators' seeded numbers: plain mulberry32 (no seed mixing, unlike the core's
// src/core/fit/rng.ts, so the committed samples stay byte-identical) and a Box–Muller normal.
export function seeded(seed) {
  const rand = () => {
    seed |= 0; seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const gauss = () => Math.sqrt(-2 * Math.log(1 - rand())) * Math.cos(2 * Math.PI * rand());
  return { rand, gauss };
}
