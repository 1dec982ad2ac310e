/**
 * How a suite declares what a test needs, so that a test the target cannot run is skipped with the
 * reason in its name, never silently:
 * - `writes`: it sends POST, PUT or DELETE (off against a non-local target unless CONTRACT_ALLOW_WRITES=1);
 * - `invalid`: it sends invalid requests on purpose (Prism in front of the mock answers those itself);
 * - `mock`: it reads or replaces the mock's state (in process or through the admin API).
 */
import { it, type RunnerTestCase, type TestContext } from "vitest";
import { listOperations } from "../../lib/spec.ts";
import { ContractViolation } from "./checker.ts";
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

/**
 * A value a check needed from another operation could not be had, because that operation answered
 * wrongly (a helper of data.ts throws it; the checker's `ContractViolation` says the same for a broken rule).
 */
export class UnmetNeed extends Error {
  override name = "UnmetNeed";
  constructor(
    readonly operation: string,
    message: string,
  ) {
    super(message);
  }
}

const operationIds = listOperations().map((op) => op.id as string);

/** The operations a check is about: those its name or the names of its describe blocks give by operationId. */
export function subjectsOf(task: RunnerTestCase): string[] {
  const names: string[] = [];
  for (let at: { name: string; suite?: { name: string; suite?: unknown } | undefined } | undefined = task; at; ) {
    names.push(at.name);
    at = at.suite as typeof at;
  }
  const words = new Set(names.join(" ").split(/[^A-Za-z]+/));
  return operationIds.filter((id) => words.has(id));
}

/**
 * The operation whose wrong answer an error reports: a `ContractViolation` or an `UnmetNeed`, also when
 * fast-check reports it inside its own error (its `cause`, or its message).
 */
function failedOperation(error: unknown): string | undefined {
  for (let at = error, depth = 0; at && depth < 5; at = (at as { cause?: unknown }).cause, depth++) {
    if (at instanceof ContractViolation) return at.failure.operation;
    if (at instanceof UnmetNeed) return at.operation;
  }
  const message = error instanceof Error ? error.message : "";
  return message.match(/The response breaks the contract[^\n]*\n\s+request:[^\n]*\((\w+)\)/)?.[1];
}

/**
 * The operation another one's failure left this check without, if the error says so: a broken answer of an
 * operation the check is not about. Such a check is not run (skipped with the reason), so that one defect
 * is reported by the checks of its own operation only.
 */
export function unmetOperation(error: unknown, subjects: readonly string[]): string | undefined {
  const operation = failedOperation(error);
  if (!operation || !operationIds.includes(operation) || subjects.includes(operation)) return undefined;
  return operation;
}

/** `it`, or `it.skip` with the reason in the name when the target cannot run the test. */
export function contractTest(target: Target) {
  return (name: string, needs: readonly Need[], body: Body, timeout?: number) => {
    const reason = skipReason(target, needs);
    if (reason) it.skip(`${name} [SKIPPED: ${reason}]`, body);
    else
      it(
        name,
        async (context) => {
          try {
            await body(context);
          } catch (error) {
            const unmet = unmetOperation(error, subjectsOf(context.task));
            if (unmet) context.skip(`not run: needs ${unmet}, which fails`);
            // A failed assertion says what it expected; the last request and answer say what was seen.
            const last = target.checker.last();
            if (
              last &&
              error instanceof Error &&
              !(error instanceof ContractViolation) &&
              !error.message.includes("request:")
            )
              error.message = `${error.message}\n  request:  ${last.request}\n  response: ${last.response}`;
            throw error;
          }
        },
        timeout,
      );
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
