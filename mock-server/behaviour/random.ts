import { uint32s } from "../store/seed-derived.ts";

/** A seeded random source in [0, 1): the same seed gives the same sequence, so faults can be replayed. */
export function seededRandom(seed: number): () => number {
  const next = uint32s(seed);
  return () => next() / 4294967296;
}
