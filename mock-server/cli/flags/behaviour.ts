/** The behaviour switches: latency, faults, the rate limit, CORS (behaviour/options.ts checks them again). */
import { parseCors, parseLatency, parseRate, parseRateLimit } from "../values.ts";
import type { Flag } from "./types.ts";

/** Flags whose values behaviour/options.ts checks, with the option each sets. */
export const BEHAVIOUR_KEYS = [
  ["latency", "latency"],
  ["error-rate", "errorRate"],
  ["rate-limit", "rateLimit"],
  ["cors", "cors"],
] as const;

export const BEHAVIOUR_FLAGS: Flag[] = [
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
