/**
 * The line protocol between the benchmark (fetch-contender.ts) and the in-process contender's process
 * (in-process.ts): each side imports this alone, so neither loads the other's code.
 */
import type { Run, RunOptions, Scenario } from "./load-types.ts";

/** Printed once the mock is seeded, before a JSON object with `seededMs`. */
export const READY = "in-process-ready ";
/** Printed before each round's `RoundResult`, as JSON. */
export const RESULT = "in-process-json ";

/** One line to the contender: a round, as a load generator is given it. */
export interface RoundCommand {
  scenario: Scenario;
  options: RunOptions;
}

/** One round's numbers, and the contender's resident memory after it. */
export interface RoundResult extends Run {
  rssBytes: number;
}
