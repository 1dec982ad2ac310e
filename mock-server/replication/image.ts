/**
 * The whole shared state of a mock as one JSON value: the default workspace's data, the other workspaces
 * (key, seed and data) and the webhook subscriptions. A snapshot in Redis is an image with the number of
 * the last change it holds; a replica that starts, or that fell behind a trimmed log, loads one.
 *
 * The first image of a prefix is the seed alone (`{ seed }`): every replica makes the same data from it,
 * so a large seeded data set is not copied through Redis.
 */
import { stateJsonChunks } from "../admin/state-json.ts";
import type { Engine } from "../engine/index.ts";
import { type SeedSizes, seedState } from "../store/seed.ts";
import type { StateSnapshot } from "../store/types.ts";
import type { Subscription } from "../webhooks/subscriptions.ts";

export interface MockImage {
  store: { seed: SeedSizes } | { state: StateSnapshot };
  workspaces: { apiKey: string; seed: SeedSizes; state: StateSnapshot }[];
  webhooks: Subscription[];
}

/** The image of a freshly started mock: its seed, and the endpoints it was started with. */
export function seedImage(engine: Engine): MockImage {
  return { store: { seed: engine.options.seed }, workspaces: [], webhooks: engine.webhooks.subscriptions.list() };
}

export function takeImage(engine: Engine): MockImage {
  return {
    store: { state: engine.store.snapshot() },
    workspaces: [...engine.workspaces.values()].map(({ apiKey, seed, store }) => ({
      apiKey,
      seed,
      state: store.snapshot(),
    })),
    webhooks: engine.webhooks.subscriptions.list(),
  };
}

const sameSeed = (a: SeedSizes, b: SeedSizes) =>
  (Object.keys(a) as (keyof SeedSizes)[]).every((key) => a[key] === b[key]);

/**
 * Makes the engine's state the image's. `fresh`: the engine has changed nothing since it seeded itself at
 * start, so a seed equal to its own is not made again. The endpoints the mock was started with
 * (`--webhook`) stay subscribed.
 */
export function loadImage(engine: Engine, image: MockImage, started: readonly Subscription[], fresh: boolean): void {
  if ("state" in image.store) engine.store.replace(image.store.state);
  else if (!(fresh && sameSeed(image.store.seed, engine.options.seed)))
    engine.store.replace(seedState(image.store.seed));
  engine.workspaces.replaceAll(image.workspaces);
  const known = new Set(image.webhooks.map((s) => `${s.url} ${s.events.join(",")}`));
  const own = started.filter((s) => !known.has(`${s.url} ${s.events.join(",")}`));
  engine.webhooks.subscriptions.replaceAll([...image.webhooks, ...own]);
}

/** The JSON text of an image, in pieces (a large state's records a batch at a time); joined, `JSON.stringify(image)`. */
export function* imageJsonChunks(image: MockImage): Generator<string> {
  yield '{"store":';
  if ("state" in image.store) {
    yield '{"state":';
    yield* stateJsonChunks(image.store.state);
    yield "}";
  } else yield JSON.stringify(image.store);
  yield ',"workspaces":[';
  for (const [i, { apiKey, seed, state }] of image.workspaces.entries()) {
    yield `${i === 0 ? "" : ","}{"apiKey":${JSON.stringify(apiKey)},"seed":${JSON.stringify(seed)},"state":`;
    yield* stateJsonChunks(state);
    yield "}";
  }
  yield `],"webhooks":${JSON.stringify(image.webhooks)}}`;
}
