/**
 * The servers of the side-by-side benchmark: the mock (its built bundle, as `npm start` and the
 * `converseiq-mock` bin run it), the same mock built from an earlier commit (the baseline), Prism's static
 * mock of the same spec, and the ceiling (a bare node:http server with a fixed body). Each is a separate
 * process on a free loopback port.
 */
import { fileURLToPath } from "node:url";
import { API_BASE_PATH } from "../../generated/rules.ts";
import { MOCK_LISTENING } from "../server-port.ts";
import type { ServerSpec } from "./processes.ts";

export const API_KEY = "mock-api-key";
export const ROOT = fileURLToPath(new URL("../../", import.meta.url));
/** The bundle `npm run build` makes; the benchmark builds it first. */
export const MOCK_BUNDLE = `${ROOT}dist/mock-server/cli.js`;
/** Where the API is on the mock: the path of the spec's `servers[0].url`. */
export const MOCK_BASE_PATH: string = API_BASE_PATH;

const auth = { "x-api-key": API_KEY };

/**
 * The mock at the default seed, or with other flags (`--contacts 1000000`). `bundle` and `name`: another
 * build of it, as the baseline (`mock@REF`, an earlier commit's bundle: baseline.ts).
 */
export function mockSpec(
  extraArgs: string[] = [],
  startTimeoutMs = 30_000,
  { bundle = MOCK_BUNDLE, name = "mock" }: { bundle?: string; name?: string } = {},
): ServerSpec {
  return {
    name,
    command: process.execPath,
    args: (port) => [bundle, "--port", String(port), "--host", "127.0.0.1", "--quiet", ...extraArgs],
    probe: { path: `${MOCK_BASE_PATH}/workspace`, headers: auth },
    startTimeoutMs,
    // It prints where it listens (with --quiet too): started on port 0, its port read from that line.
    announces: MOCK_LISTENING,
  };
}

/** `prism mock generated/openapi.json -v error`: Prism's static mock (examples), quiet. Serves at the root. */
export const prismSpec: ServerSpec = {
  name: "prism",
  command: process.execPath,
  args: (port) => [
    `${ROOT}node_modules/@stoplight/prism-cli/dist/index.js`,
    "mock",
    `${ROOT}generated/openapi.json`,
    "-v",
    "error",
    "-p",
    String(port),
    "-h",
    "127.0.0.1",
  ],
  probe: { path: "/workspace", headers: auth },
  startTimeoutMs: 60_000,
};

/** The bare node:http server answering each request of `answersFile` with its fixed bytes (`GET /`: 204). */
export function ceilingSpec(answersFile: string): ServerSpec {
  return {
    name: "ceiling",
    command: process.execPath,
    args: (port) => [`${ROOT}scripts/bench/ceiling-server.js`, String(port), answersFile],
    probe: { path: "/" },
  };
}
