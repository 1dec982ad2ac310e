/**
 * What the suites can do on a mock that they cannot do through the public API: learn the ids of
 * channels, bots and team members, read the whole state (to prove a rejected request changed nothing)
 * and replace it (to start a model-based run from a known state).
 *
 * In process this is the store itself; over HTTP it is the mock's admin API (`/__admin`). A live target
 * has none: the suites discover ids from the public API and from environment variables instead.
 */
import type { MockServer } from "../../mock-server/app.ts";
import type { StateSnapshot } from "../../mock-server/store/types.ts";

export interface Fixtures {
  team: string[];
  bots: string[];
  /** `type` is unknown when the id came from a chat or from an environment variable without a type. */
  channels: { guid: string; type: string | undefined }[];
}

export interface MockControl {
  fixtures(): Promise<Fixtures>;
  /** The whole state, as comparable text. */
  fingerprint(): Promise<string>;
  snapshot(): Promise<StateSnapshot>;
  replace(snapshot: StateSnapshot): Promise<void>;
}

export function storeControl(app: MockServer): MockControl {
  return {
    fixtures: async () => fixturesOfSnapshot(app.store.snapshot()),
    fingerprint: async () => JSON.stringify(app.store.snapshot()),
    snapshot: async () => structuredClone(app.store.snapshot()),
    replace: async (snapshot) => app.store.replace(structuredClone(snapshot)),
  };
}

/** The admin API of a mock over HTTP, or undefined when `adminUrl` has none (not a mock). */
export async function adminControl(adminUrl: string, token?: string): Promise<MockControl | undefined> {
  const headers: Record<string, string> = token ? { "x-admin-token": token } : {};
  const call = async (method: string, path: string, body?: unknown): Promise<Response> => {
    const response = await fetch(`${adminUrl.replace(/\/$/, "")}/__admin${path}`, {
      method,
      headers: body === undefined ? headers : { ...headers, "content-type": "application/json" },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      signal: AbortSignal.timeout(10_000),
    });
    if (!response.ok) throw new Error(`admin ${method} ${path} answered ${response.status}: ${await response.text()}`);
    return response;
  };
  try {
    const probe = await call("GET", "/fixtures");
    await probe.body?.cancel();
  } catch {
    return undefined;
  }
  return {
    fixtures: async () => {
      const f = (await (await call("GET", "/fixtures")).json()) as {
        team: string[];
        bots: { guid: string }[];
        channels: { guid: string; type: string }[];
      };
      return { team: f.team, bots: f.bots.map((b) => b.guid), channels: f.channels };
    },
    fingerprint: async () => (await call("GET", "/state")).text(),
    snapshot: async () => (await (await call("GET", "/state")).json()) as StateSnapshot,
    replace: async (snapshot) => {
      const response = await call("PUT", "/state", snapshot);
      await response.body?.cancel();
    },
  };
}

function fixturesOfSnapshot(snapshot: StateSnapshot): Fixtures {
  return {
    team: snapshot.team.map((m) => m.guid),
    bots: snapshot.bots.map((b) => b.guid),
    channels: snapshot.channels.map((c) => ({ guid: c.guid, type: c.type })),
  };
}
