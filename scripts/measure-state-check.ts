/**
 * How long the state check takes to refuse a state of N empty contacts (`npx tsx scripts/measure-state-check.ts
 * [N]`): the first run compiles the State schema's validators, the second is what a later import costs.
 */
import { checkState } from "../mock-server/admin/validation.ts";

const n = Number(process.argv[2] ?? 12000);
const state = { contacts: Array.from({ length: n }, () => ({})) };
for (const run of ["first (compiles)", "second"]) {
  const start = performance.now();
  let listed = 0;
  try {
    checkState(state);
  } catch (error) {
    listed = (error as { details?: unknown[] }).details?.length ?? 0;
  }
  console.log(
    `${n} empty contacts, ${run}: refused in ${Math.round(performance.now() - start)} ms, ${listed} problems listed`,
  );
}
