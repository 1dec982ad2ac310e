/**
 * Scenarios: a named set of overrides and state, turned on with `mock.scenario("outage")`, `--scenario
 * NAME` or `POST /__admin/scenario`. The mock's own are built from the public spec (every statement below
 * holds for every operation because every operation documents it):
 *
 * - `rate-limited`: every operation answers 429 (each documents it), with its `Retry-After`;
 * - `outage`: reads answer 503 (covered by each operation's `default` response) and writes lose their
 *   connection, so a client cannot know whether the write was made: the harder case;
 * - `slow`: every answer waits 2 s (on the mock's scheduler) and is then the usual one;
 * - `empty`: no contacts, chats or bots (a workspace keeps its owner and one channel: the spec's minimums);
 * - `full`: 5,000 contacts and 5,000 chats (with their messages) from a fixed seed, for paging UIs.
 *
 * Users add theirs in a file (`--scenarios FILE`, the admin spec's `ScenarioFile`), where an override's
 * `operationId` `*` stands for every public operation.
 */
import type { components } from "../../generated/admin-types.ts";
import { listOperations, publicSpec } from "../../lib/spec.ts";
import { HttpError } from "../http-error.ts";
import type { SeedSizes } from "../store/seed.ts";
import type { OverrideCreate } from "./overrides.ts";

export type ScenarioFile = components["schemas"]["ScenarioFile"];
export type Scenario = components["schemas"]["Scenario"];
export type ScenarioStatus = components["schemas"]["ScenarioStatus"];

/** How long `slow` makes every answer wait. */
export const SLOW_DELAY_MS = 2000;
/** The sizes `full` seeds. */
export const FULL_SIZES = { seed: 42, contacts: 5000, chats: 5000 } as const;

const every = (rest: Omit<OverrideCreate, "operationId">): OverrideCreate => ({ operationId: "*", ...rest });

export const BUILT_IN_SCENARIOS: Readonly<Record<string, Scenario>> = {
  "rate-limited": {
    description: "Every public operation answers 429 Too Many Requests, with Retry-After.",
    overrides: [every({ status: 429 })],
  },
  outage: {
    description: "Reads answer 503 Service Unavailable; writes lose their connection (no answer at all).",
    overrides: listOperations(publicSpec).map((op) =>
      op.method === "get" ? { operationId: op.id, status: 503 } : { operationId: op.id, networkError: true },
    ),
  },
  slow: {
    description: `Every answer waits ${SLOW_DELAY_MS} ms, then is the usual one.`,
    overrides: [every({ delay: SLOW_DELAY_MS })],
  },
  empty: {
    description: "No contacts, chats or bots: the workspace keeps its owner and one channel.",
    seed: { contacts: 0, chats: 0, bots: 0, team: 1, channels: 1 },
  },
  full: {
    description: "5,000 contacts and 5,000 chats with their messages, from a fixed seed: for paging UIs.",
    seed: { ...FULL_SIZES },
  },
};

/** The mock's scenarios and the user's, by name. */
export class ScenarioCatalogue {
  private readonly all: Map<string, Scenario>;

  constructor(private readonly user: ScenarioFile["scenarios"] = {}) {
    this.all = new Map(Object.entries(BUILT_IN_SCENARIOS));
    for (const [name, scenario] of Object.entries(user)) {
      if (this.all.has(name)) {
        throw new RangeError(`scenario ${JSON.stringify(name)} is one of the mock's own: give yours another name`);
      }
      this.all.set(name, scenario);
    }
  }

  names(): string[] {
    return [...this.all.keys()];
  }

  /** The scenario named `name`, or a 400 that lists the known ones. */
  get(name: string): Scenario {
    const found = this.all.get(name);
    if (found) return found;
    throw new HttpError(
      "invalid_request",
      `No scenario is named ${JSON.stringify(name)}; the scenarios are ${this.names().join(", ")}.`,
      [{ in: "body", field: "/name", message: "is not the name of a scenario" }],
    );
  }

  status(active: string | undefined): ScenarioStatus {
    return {
      active: active ?? null,
      scenarios: [...this.all].map(([name, s]) => ({ name, description: s.description ?? "" })),
      ...(Object.keys(this.user).length > 0 ? { file: { scenarios: this.user } } : {}),
    };
  }
}

/** A scenario's overrides, `*` spelled out as every public operation. */
export function expandOverrides(scenario: Scenario): OverrideCreate[] {
  const ids = listOperations(publicSpec).map((op) => op.id);
  return (scenario.overrides ?? []).flatMap((o) =>
    o.operationId === "*" ? ids.map((operationId) => ({ ...o, operationId })) : [o],
  );
}

/** The sizes a scenario seeds, over the workspace's own (undefined: its data is left as it is). */
export function scenarioSeed(scenario: Scenario, base: SeedSizes): SeedSizes | undefined {
  return scenario.seed === undefined ? undefined : { ...base, ...scenario.seed };
}
