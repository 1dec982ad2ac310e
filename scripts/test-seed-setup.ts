/**
 * Vitest setup: every `fc.assert` and `fc.sample` of the tests that gives no seed of its own runs under
 * TEST_SEED (test-seed.ts), so that a property that fails, fails on every run.
 */
import fc from "fast-check";
import { TEST_SEED } from "./test-seed.ts";

fc.configureGlobal({ ...fc.readConfigureGlobal(), seed: TEST_SEED });
