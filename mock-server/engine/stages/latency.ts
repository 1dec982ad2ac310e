/**
 * Latency (`--latency MIN-MAX`): every answer of a public operation, errors included, waits a time drawn
 * from the range (on the engine's scheduler and random source) before it goes out.
 */
import type { Scheduler } from "../../scheduler.ts";

/** Resolves once the answer may go out. */
export type LatencyStage = () => Promise<void>;

export function createLatencyStage(
  latency: { min: number; max: number } | undefined,
  random: () => number,
  scheduler: Scheduler,
): LatencyStage | undefined {
  if (!latency || latency.max <= 0) return undefined;
  const { min, max } = latency;
  return () => {
    const ms = min + Math.floor(random() * (max - min + 1));
    return new Promise((resolve) => scheduler.setTimeout(resolve, ms));
  };
}
