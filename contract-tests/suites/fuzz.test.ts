/**
 * Property-based fuzzing of every operation with requests derived from the spec's schemas (fuzz/):
 * - valid input gets 2xx or a documented 4xx: 404 or 409 where the operation documents them, or 400
 *   `invalid_reference` / `sender_not_allowed` for references that do not exist or may not send;
 * - input with one part broken gets 400;
 * - never a 5xx, and every response conforms (the checker judges each one);
 * - a rejected request changes no state (the mock's whole state compared before and after).
 *
 * CONTRACT_FUZZ_RUNS runs per property (default 100); the seed is printed, and CONTRACT_FUZZ_SEED
 * replays it.
 */
import { describe, type TestContext } from "vitest";
import { listOperations, type Operation } from "../../lib/spec.ts";
import { fuzzOperation } from "../fuzz/property.ts";
import { hasInput } from "../fuzz/requests.ts";
import { writes } from "../support/examples.ts";
import { suiteSeed } from "../support/seed.ts";
import { openTarget } from "../support/target.ts";
import { contractTest, type Need } from "../support/tests.ts";

// A smaller seeded state than the default: every write compares the whole state before and after.
const target = await openTarget("fuzz", { seed: { contacts: 15, chats: 6 } });
const test = contractTest(target);
const runs = Number(process.env.CONTRACT_FUZZ_RUNS || 100);
const { seed, shown } = suiteSeed();
console.log(`fuzz: ${runs} runs per property, ${shown}`);

const annotate = async (ctx: TestContext, done: Promise<{ rejected: number }>) => {
  const { rejected } = await done;
  await ctx.annotate(`${runs} runs, ${rejected} rejected`);
};
const needs = (op: Operation, ...more: Need[]): Need[] => [...(writes(op) ? (["writes"] as Need[]) : []), ...more];

for (const op of listOperations())
  describe(`${op.id} (${op.method.toUpperCase()} ${op.path})`, () => {
    test("answers valid input with 2xx or a documented 4xx, never a 5xx, always as the spec says", needs(op), (ctx) =>
      annotate(ctx, fuzzOperation(target, op, "valid", { runs, seed })),
    );
    if (hasInput(op)) {
      test("answers input with one part broken with 400, and changes nothing", needs(op, "invalid"), (ctx) =>
        annotate(ctx, fuzzOperation(target, op, "invalid", { runs, seed })),
      );
    }
  });
