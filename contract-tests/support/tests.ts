/**
 * How a suite declares what a test needs, so that a test the target cannot run is skipped with the
 * reason in its name, never silently:
 * - `writes`: it sends POST, PUT or DELETE (off against a non-local target unless CONTRACT_ALLOW_WRITES=1);
 * - `invalid`: it sends invalid requests on purpose (Prism in front of the mock answers those itself);
 * - `mock`: it reads or replaces the mock's state (in process or through the admin API).
 */
import { it, type TestContext } from "vitest";
import type { Target } from "./target.ts";

export type Need = "writes" | "invalid" | "mock";

type Body = (context: TestContext) => Promise<void> | void;

export function skipReason(target: Target, needs: readonly Need[]): string | undefined {
  if (needs.includes("writes") && !target.settings.writesAllowed) {
    return `writes are off against ${target.name}; set CONTRACT_ALLOW_WRITES=1 or --allow-writes`;
  }
  if (needs.includes("invalid") && target.settings.viaPrism) {
    return "sends invalid requests, which Prism answers itself before the mock sees them";
  }
  if (needs.includes("mock") && !target.control) return `${target.name} is not a mock (no admin API)`;
  return undefined;
}

/** `it`, or `it.skip` with the reason in the name when the target cannot run the test. */
export function contractTest(target: Target) {
  return (name: string, needs: readonly Need[], body: Body, timeout?: number) => {
    const reason = skipReason(target, needs);
    if (reason) it.skip(`${name} [SKIPPED: ${reason}]`, body);
    else it(name, body, timeout);
  };
}

/** Skips the running test, loudly, when a value it needs could not be found on the target. */
export function need<T>(context: TestContext, value: T | undefined, why: string): T {
  if (value === undefined) {
    console.warn(`⚠ skipped "${context.task.name}": ${why}`);
    context.skip(why);
  }
  return value as T;
}
