/**
 * The target left as it was found.
 *
 * - A mock (its admin API answers `GET /__admin/health`): the run makes a workspace of its own
 *   (`POST /__admin/workspaces`: a store seeded as a freshly started mock is, with a key of its own), runs
 *   every suite with that key, so every write, reset and state replacement lands there, and removes it at
 *   the end, also when the run fails. The mock's default data is never touched.
 * - Any other target (writes only with `--allow-writes`): what the suites create carries the run's marker
 *   (`ciq-contract-<run id>`) and is deleted after each test (`support/target.ts`); what could not be
 *   deleted is listed at the end (`support/leftovers.ts`).
 */
import { ADMIN_TOKEN_HEADER } from "../../mock-server/admin/token.ts";
import { DEFAULT_API_KEY } from "../../mock-server/mock-options.ts";
import type { Settings } from "../support/settings.ts";
import { type PreflightProblem, preflight } from "./preflight.ts";

export interface RunWorkspace {
  apiKey: string;
  /** Removes the workspace; resolves to why it could not, or undefined. */
  remove(): Promise<string | undefined>;
}

/** The admin API's routes, through one fetch with the admin token when there is one. */
function admin(adminUrl: string, token: string | undefined, fetchImpl: typeof fetch) {
  return (method: string, path: string, body?: unknown) =>
    fetchImpl(`${adminUrl.replace(/\/$/, "")}/__admin${path}`, {
      method,
      // JSON even with no body: the mock refuses an admin write of any other type (one a web page could send).
      headers: { "content-type": "application/json", ...(token ? { "x-admin-token": token } : {}) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      signal: AbortSignal.timeout(10_000),
    });
}

/**
 * What answers at `adminUrl`: a mock (its health route, which every mock has, answers), a mock that wants
 * an admin token this run does not have (401 naming the `x-admin-token` header), or something else.
 */
export async function probeMock(
  adminUrl: string,
  token?: string,
  fetchImpl: typeof fetch = fetch,
): Promise<"mock" | "locked" | "other"> {
  try {
    const response = await admin(adminUrl, token, fetchImpl)("GET", "/health");
    const text = await response.text();
    if (response.status === 401 && text.includes(ADMIN_TOKEN_HEADER)) return "locked";
    if (!response.ok) return "other";
    const body = JSON.parse(text) as { status?: unknown };
    return typeof body.status === "string" ? "mock" : "other";
  } catch {
    return "other";
  }
}

/** A workspace of the run's own on the mock at `adminUrl`. Throws with the mock's answer when refused. */
export async function createRunWorkspace(
  adminUrl: string,
  token?: string,
  fetchImpl: typeof fetch = fetch,
): Promise<RunWorkspace> {
  const call = admin(adminUrl, token, fetchImpl);
  const response = await call("POST", "/workspaces", {});
  const text = await response.text();
  if (!response.ok)
    throw new Error(
      `the mock refused a workspace for the run (POST /__admin/workspaces answered ${response.status}: ${text})`,
    );
  const { apiKey } = JSON.parse(text) as { apiKey: string };
  return {
    apiKey,
    remove: async () => {
      try {
        const removed = await call("DELETE", `/workspaces/${encodeURIComponent(apiKey)}`);
        const answer = await removed.text();
        return removed.ok ? undefined : `DELETE /__admin/workspaces answered ${removed.status}: ${answer}`;
      } catch (error) {
        return (error as Error).message;
      }
    },
  };
}

/** A run that can be made: the key it runs with, and the workspace to remove at its end (a mock's). */
export type RunScope =
  | { ok: true; apiKey: string | undefined; workspace: RunWorkspace | undefined }
  | { ok: false; problem: PreflightProblem; message: string };

/**
 * Before a run over HTTP: is the target a mock, can the run be made (the preflight, with the key given, or
 * a mock's default key when none was), and, on a mock, the workspace the run works in.
 */
export async function openRunScope(
  settings: Settings,
  adminToken: string | undefined,
  fetchImpl: typeof fetch = fetch,
): Promise<RunScope> {
  const adminUrl = settings.adminUrl;
  const found = adminUrl === undefined ? "other" : await probeMock(adminUrl, adminToken, fetchImpl);
  // A mock run as any other target would be written to in its default data: stop and say what to give.
  if (found === "locked")
    return {
      ok: false,
      problem: "admin-token",
      message: adminToken
        ? `The mock at ${adminUrl} refused the admin token (GET /__admin/health answered 401): check --admin-token or MOCK_ADMIN_TOKEN.`
        : `The mock at ${adminUrl} runs with --admin-token: give the same token with --admin-token or MOCK_ADMIN_TOKEN, so that the run works in a workspace of its own.`,
    };
  const mock = found === "mock" && adminUrl !== undefined;
  const apiKey = settings.apiKey ?? (mock ? DEFAULT_API_KEY : undefined);
  const checked = await preflight({ baseUrl: settings.baseUrl as string, apiKey, fetch: fetchImpl });
  if (!checked.ok) return checked;
  if (!mock) return { ok: true, apiKey, workspace: undefined };
  const workspace = await createRunWorkspace(adminUrl, adminToken, fetchImpl);
  return { ok: true, apiKey: workspace.apiKey, workspace };
}
