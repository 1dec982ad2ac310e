/**
 * Workspaces: a store per API key, so that test files sharing one mock do not see each other's writes.
 * `POST /__admin/workspaces` makes one (`create`): a fresh store, seeded, with a key of its own. A public
 * request is routed by its `x-api-key`: a key of the mock's (`--api-key`) reaches the default workspace
 * (the engine's `store`), a workspace's key reaches that workspace's store and nothing else, any other key
 * is 401.
 *
 * A workspace is seeded with the mock's seed and sizes unless told otherwise, so it holds the same data a
 * freshly started mock holds (ids included: stores are separate, so equal ids never meet). The seeded
 * records are shared between the workspaces made from the same seed and sizes: the store never changes a
 * record in place (a change is a new object), so sharing them is safe, and a workspace then costs little
 * more than its indexes.
 *
 * No Node-only API here (WebCrypto through `globalThis.crypto`): the engine runs in a browser too.
 */

import { HttpError } from "../http-error.ts";
import { type SeedSizes, seedState } from "../store/seed.ts";
import { Store, type StoreOptions } from "../store/store.ts";
import type { StateSnapshot } from "../store/types.ts";

export interface Workspace {
  /** The key its requests carry in `x-api-key`. */
  readonly apiKey: string;
  /** Its data and rules: a store of its own. */
  readonly store: Store;
  /** The seed and sizes it was made with; a reset of it (`POST /__admin/reset` with its key) starts there. */
  readonly seed: SeedSizes;
}

/** What a new workspace may be given: its key, and the seed and sizes that differ from the mock's. */
export interface WorkspaceCreate {
  apiKey?: string;
  seed?: Partial<SeedSizes>;
}

export interface WorkspacesOptions {
  /** The mock's own keys (the default workspace's): a workspace cannot take one. */
  defaultKeys: readonly string[];
  /** The mock's seed and sizes: a workspace's, unless its creation says otherwise. */
  seed: SeedSizes;
  /** The clock and id source of the stores' new objects (the engine's). */
  store?: StoreOptions;
}

/** How many seeded states (one per seed and sizes) are kept to be shared by new workspaces. */
const SEED_CACHE = 4;

export class Workspaces {
  private readonly byKey = new Map<string, Workspace>();
  private readonly defaultKeys: ReadonlySet<string>;
  private readonly listeners = new Set<(workspace: Workspace) => void>();
  private readonly seeded = new Map<string, StateSnapshot>();

  constructor(private readonly options: WorkspacesOptions) {
    this.defaultKeys = new Set(options.defaultKeys);
  }

  /** The workspace of a key, or undefined (a key of the mock's, or no workspace's). */
  get(apiKey: string): Workspace | undefined {
    return this.byKey.get(apiKey);
  }

  /**
   * The workspace of a key a request was let in with, as its operation runs (after a wait for `Prefer`'s
   * delay or for the replicas, or when a replica applies a change): one removed since is a 401, as its key
   * now is. The one lookup of a workspace by key for every operation, public and admin.
   */
  require(apiKey: string): Workspace {
    const workspace = this.byKey.get(apiKey);
    if (workspace === undefined) throw new HttpError("unauthorized", "This API key's workspace has been removed.");
    return workspace;
  }

  /** How many workspaces there are (the default one not counted). */
  get size(): number {
    return this.byKey.size;
  }

  values(): IterableIterator<Workspace> {
    return this.byKey.values();
  }

  /**
   * Makes a workspace: seeded (the mock's seed and sizes, with those of `input.seed` over them), with the
   * key given or a new random one. A key already taken (the mock's or a workspace's) is refused, 400.
   */
  create(input: WorkspaceCreate = {}): Workspace {
    const apiKey = input.apiKey ?? `ws-${globalThis.crypto.randomUUID()}`;
    if (this.defaultKeys.has(apiKey) || this.byKey.has(apiKey)) {
      throw new HttpError("invalid_request", "This API key is taken: by the mock itself or by another workspace.", [
        { in: "body", field: "/apiKey", message: "is already the key of a workspace" },
      ]);
    }
    const seed = { ...this.options.seed, ...input.seed };
    const workspace: Workspace = { apiKey, store: new Store(this.seedOf(seed), this.options.store), seed };
    this.byKey.set(apiKey, workspace);
    for (const listener of this.listeners) listener(workspace);
    return workspace;
  }

  /** Removes the workspace of a key, its data with it; false when no workspace has that key. */
  remove(apiKey: string): boolean {
    return this.byKey.delete(apiKey);
  }

  /**
   * Replaces every workspace with these, each with its key, seed and state (a replica loading the state it
   * shares with others); the `onCreate` listeners are told of each.
   */
  replaceAll(workspaces: readonly { apiKey: string; seed: SeedSizes; state: StateSnapshot }[]): void {
    this.byKey.clear();
    for (const { apiKey, seed, state } of workspaces) {
      const workspace: Workspace = { apiKey, store: new Store(state, this.options.store), seed };
      this.byKey.set(apiKey, workspace);
      for (const listener of this.listeners) listener(workspace);
    }
  }

  /**
   * Calls `listener` with each workspace made from now on (to subscribe to its store's changes, as the
   * webhook sender and the event log do for the default store); returns the function that stops it.
   */
  onCreate(listener: (workspace: Workspace) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** The seeded state of a seed and sizes, made once and shared (the few latest are kept). */
  private seedOf(seed: SeedSizes): StateSnapshot {
    const key = `${seed.seed}/${seed.contacts}/${seed.chats}/${seed.team}/${seed.channels}/${seed.bots}`;
    let snapshot = this.seeded.get(key);
    if (snapshot === undefined) {
      snapshot = seedState(seed);
      if (this.seeded.size >= SEED_CACHE) this.seeded.delete(this.seeded.keys().next().value as string);
      this.seeded.set(key, snapshot);
    }
    return snapshot;
  }
}
