/**
 * The seed of a run's fuzzing and model-based sequences. The runner (run/runner.ts) draws one for the
 * whole run when none is given and hands it to every suite, so that one `--seed` replays the run; the
 * suites draw their own only when run by plain vitest without CONTRACT_FUZZ_SEED, and then say how to
 * replay it.
 */
export function drawSeed(): number {
  return Math.floor(Math.random() * 2 ** 31);
}

/** The seed the suites run under, and how they print it. */
export function suiteSeed(env: NodeJS.ProcessEnv = process.env): { seed: number; shown: string } {
  const given = env.CONTRACT_FUZZ_SEED;
  if (given) return { seed: Number(given), shown: `seed ${given}` };
  const seed = drawSeed();
  return { seed, shown: `seed ${seed} (replay with CONTRACT_FUZZ_SEED=${seed})` };
}
