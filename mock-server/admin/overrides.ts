/**
 * The admin routes of overrides and scenarios (`/__admin/overrides`, `/__admin/scenario`): each acts on
 * the override set of its workspace (engine/overrides.ts) and, for a scenario with a seed, its store.
 */

import { type OverrideCreate, OverrideSet } from "../engine/overrides.ts";
import { expandOverrides, ScenarioCatalogue, scenarioSeed } from "../engine/scenarios.ts";
import { HttpError } from "../http-error.ts";
import { seedState } from "../store/seed.ts";
import type { AdminContext, Handler } from "./types.ts";

type OverrideIds =
  | "listOverrides"
  | "addOverride"
  | "clearOverrides"
  | "removeOverride"
  | "getScenario"
  | "setScenario";

const setOf = (ctx: AdminContext): OverrideSet => {
  // An admin API made without overrides (a bare one in a test) keeps a set of its own.
  ctx.overrides ??= new OverrideSet();
  return ctx.overrides;
};
const catalogueOf = (ctx: AdminContext): ScenarioCatalogue => {
  ctx.scenarios ??= new ScenarioCatalogue();
  return ctx.scenarios;
};

/** A new override's id, unless the change that carries it to the replicas fixed one. */
export const newOverrideId = () => `ov-${globalThis.crypto.randomUUID()}`;

export const overrideHandlers: { [Id in OverrideIds]: Handler<Id> } = {
  listOverrides: (ctx) => ({ data: setOf(ctx).list() }),
  addOverride: (ctx, body) => {
    const { id, ...data } = body as OverrideCreate & { id?: string };
    const set = setOf(ctx);
    set.add(data, id ?? newOverrideId());
    return set.list().at(-1);
  },
  clearOverrides: (ctx) => {
    const set = setOf(ctx);
    const scenario = set.scenario;
    set.clear();
    // The scenario's state stays; only its overrides went.
    set.scenario = scenario;
  },
  removeOverride: (ctx, _, { path }) => {
    if (!setOf(ctx).remove(path.overrideId)) {
      throw new HttpError("not_found", "No override has this id: it was removed, or its times were used up.", [
        { in: "path", field: "overrideId", message: "is not the id of an override in force" },
      ]);
    }
  },
  getScenario: (ctx) => catalogueOf(ctx).status(setOf(ctx).scenario),
  setScenario: (ctx, body) => {
    const name = (body as { name: string }).name;
    const scenario = catalogueOf(ctx).get(name);
    const set = setOf(ctx);
    // Every override is checked before anything changes: a scenario is turned on whole or not at all.
    const staged = new OverrideSet();
    expandOverrides(scenario).forEach((override, i) => {
      staged.add(override, `${name}-${i + 1}`, name);
    });
    const seed = scenarioSeed(scenario, ctx.options.seed);
    if (seed) ctx.store().replace(seedState(seed));
    set.clear();
    expandOverrides(scenario).forEach((override, i) => {
      set.add(override, `${name}-${i + 1}`, name);
    });
    set.scenario = name;
    return catalogueOf(ctx).status(name);
  },
};
