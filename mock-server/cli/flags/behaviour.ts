/** The behaviour switches: latency, faults, the rate limit, CORS (behaviour/options.ts checks them again). */
import { readFileSync } from "node:fs";
import { checkScenarioFile } from "../../admin/validation.ts";
import { InvalidInputError } from "../../invalid-input.ts";
import { parseCors, parseLatency, parseRate, parseRateLimit, UsageError } from "../values.ts";
import type { Flag } from "./types.ts";

/** Flags whose values behaviour/options.ts checks, with the option each sets. */
export const BEHAVIOUR_KEYS = [
  ["latency", "latency"],
  ["error-rate", "errorRate"],
  ["rate-limit", "rateLimit"],
  ["cors", "cors"],
] as const;

/** The scenarios of a file, checked against the admin spec's `ScenarioFile`; a UsageError says what is wrong. */
function readScenarios(path: string) {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (error) {
    throw new UsageError(`cannot read ${path}: ${(error as Error).message}`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new UsageError(`${path} is not JSON: ${(error as Error).message}`);
  }
  try {
    return checkScenarioFile(parsed).scenarios;
  } catch (error) {
    if (!(error instanceof InvalidInputError)) throw error;
    const problems = error.details.map((d) => `${d.field || "(file)"} ${d.message}`).join("; ");
    throw new UsageError(`${path} is no ScenarioFile of the admin spec: ${problems}`);
  }
}

export const BEHAVIOUR_FLAGS: Flag[] = [
  {
    kind: "value",
    name: "scenario",
    env: "MOCK_SCENARIO",
    group: "Behaviour switches",
    value: "NAME",
    help: "Start with a scenario on: rate-limited, outage, slow, empty, full, or one of --scenarios (POST /__admin/scenario changes it; a reset turns it off).",
    apply: (config, text) => {
      // Checked once every flag is read: the name may be one of --scenarios.
      config.options.scenario = text;
    },
  },
  {
    kind: "value",
    name: "scenarios",
    env: "MOCK_SCENARIOS_FILE",
    group: "Behaviour switches",
    value: "FILE",
    help: "A JSON file of scenarios of your own (the admin spec's ScenarioFile: overrides, and a seed), by name.",
    apply: (config, text) => {
      config.options.scenarios = readScenarios(text);
    },
  },
  // Behaviour switches: checked again by behaviour/options.ts (checkBehaviourOptions) before starting.
  {
    kind: "value",
    name: "latency",
    env: "MOCK_LATENCY",
    group: "Behaviour switches",
    value: "MS",
    help: "Delay every public answer by a random time in a range of milliseconds (50-200) or a fixed one (100).",
    apply: (config, text) => {
      config.options.latency = parseLatency(text);
    },
  },
  {
    kind: "value",
    name: "error-rate",
    env: "MOCK_ERROR_RATE",
    group: "Behaviour switches",
    value: "RATE",
    help: "Answer this share of public requests (0.05 or 5%) with a documented 429, 500 or 503.",
    apply: (config, text) => {
      config.options.errorRate = parseRate(text);
    },
  },
  {
    kind: "value",
    name: "rate-limit",
    env: "MOCK_RATE_LIMIT",
    group: "Behaviour switches",
    value: "N/WINDOW",
    help: "At most N public requests per API key per window (600/min, 10/s, 5000/hour); then 429.",
    apply: (config, text) => {
      config.options.rateLimit = parseRateLimit(text);
    },
  },
  {
    kind: "value",
    name: "cors",
    env: "MOCK_CORS",
    group: "Behaviour switches",
    value: "ORIGINS",
    help: "CORS: * for any origin, off for none, or origins separated by commas.",
    shown: "*",
    apply: (config, text) => {
      config.options.cors = parseCors(text);
    },
  },
  {
    kind: "switch",
    name: "no-cors",
    env: "MOCK_NO_CORS",
    group: "Behaviour switches",
    help: "Send no CORS headers and answer no preflight (the same as --cors off).",
    apply: (config, on) => {
      if (on) config.options.cors = false;
    },
  },
];
