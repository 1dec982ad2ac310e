/**
 * What the suites can do on a mock that they cannot do through the public API: learn the ids of
 * channels, bots and team members, read the whole state (to prove a rejected request changed nothing)
 * and replace it (to start a model-based run from a known state).
 *
 * It is the mock's admin API (`/__admin`): over HTTP, or in process through the mock's fetch adapter. A
 * live target has none: the suites discover ids from the public API and from environment variables instead.
 */
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

/**
 * The admin API of a mock at `adminUrl`, or undefined when it has none (not a mock). Reached through
 * `fetch`: the global one over HTTP, or the in-process mock's fetch adapter, which answers `/__admin` too.
 * With `workspaceKey`, the fixtures, state and its replacement are that workspace's (`POST /__admin/workspaces`).
 */
export async function adminControl(
  adminUrl: string,
  token?: string,
  fetch: typeof globalThis.fetch = globalThis.fetch,
  workspaceKey?: string,
): Promise<MockControl | undefined> {
  // The workspace acted on is the one of the key in `x-api-key` (a mock's own key, or none: the default one).
  const headers: Record<string, string> = {
    ...(token ? { "x-admin-token": token } : {}),
    ...(workspaceKey ? { "x-api-key": workspaceKey } : {}),
  };
  const call = async (method: string, path: string, body?: unknown): Promise<Response> => {
    const response = await fetch(`${adminUrl.replace(/\/$/, "")}/__admin${path}`, {
      method,
      // JSON even with no body: the mock refuses an admin write that a web page could have sent (any other type).
      headers: { ...headers, "content-type": "application/json" },
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
