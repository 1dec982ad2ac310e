/**
 * Stopping a command the moment it says where it listens: its SIGTERM handler is in place before that
 * line, so a supervisor or a test that sends SIGTERM as soon as it reads the line gets a clean close (the
 * state file written, the recording finished, exit 0), never a process killed outright. A probe loaded
 * into the child (signal-probe.mjs) reports the handlers at the moment the line is written, so this does
 * not depend on how fast the signal arrives.
 */
import { fileURLToPath } from "node:url";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { MOCK_LISTENING, originFromOutput } from "../../scripts/server-port.ts";
import { buildMockServer, type MockServer } from "../app.ts";
import { PROXY_LISTENING } from "../cli/proxy.ts";
import { PUBLIC_PREFIX } from "../mock-options.ts";
import { envWithoutMockVariables, killCommands, runMockCommand } from "./mock-command.ts";

const PROBE = fileURLToPath(new URL("./signal-probe.mjs", import.meta.url));
const probed = () => {
  const env = envWithoutMockVariables();
  return { ...env, NODE_OPTIONS: `${env.NODE_OPTIONS ?? ""} --import ${PROBE}`.trim() };
};
const SAID = "[probe] SIGTERM handlers when it said where it listens: 1";

let upstream: MockServer;
let upstreamOrigin: string;
beforeAll(async () => {
  upstream = await buildMockServer({ logger: false });
  upstreamOrigin = await upstream.listen({ port: 0, host: "127.0.0.1" });
});
afterAll(() => upstream?.close());
afterEach(() => killCommands());

describe("a command stopped as soon as it says where it listens", { timeout: 60_000 }, () => {
  it.each([
    ["converseiq-mock", ["--port", "0", "--quiet"], MOCK_LISTENING],
    ["converseiq-mock proxy", ["proxy", "--upstream", "UPSTREAM", "--port", "0", "--quiet"], PROXY_LISTENING],
  ] as const)("%s has its SIGTERM handler by then, and closes cleanly", async (_, args, listening) => {
    const command = runMockCommand(
      args.map((arg) => (arg === "UPSTREAM" ? `${upstreamOrigin}${PUBLIC_PREFIX}` : arg)),
      probed(),
    );
    await originFromOutput(command.child, listening, 30_000);
    command.child.kill("SIGTERM");
    expect(await command.exited).toBe(0);
    expect(command.output().stderr).toContain(SAID);
  });
});
