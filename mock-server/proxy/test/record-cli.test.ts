import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { originFromOutput } from "../../../scripts/server-port.ts";
import { buildMockServer, type MockServer } from "../../app.ts";
import { PROXY_LISTENING, parseProxyCli } from "../../cli/proxy.ts";
import { UsageError } from "../../cli/values.ts";
import { PUBLIC_PREFIX } from "../../mock-options.ts";
import { readStateFile } from "../../state-file.ts";
import { killCommands, runMockCommand } from "../../test/mock-command.ts";

const KEY = "mock-api-key";
let mock: MockServer;
let upstream: string;

beforeAll(async () => {
  mock = await buildMockServer({ logger: false });
  upstream = await mock.listen({ port: 0 });
});
afterAll(() => mock.close());
afterEach(killCommands);

describe("the proxy's --record flags", () => {
  it("takes --record FILE, and the key of the fakes from --record-key or CONVERSEIQ_RECORD_KEY", () => {
    const argv = ["--upstream", "http://x", "--record", "rec.json"];
    expect(parseProxyCli(argv, {})).toMatchObject({ config: { record: { file: "rec.json" } } });
    expect(parseProxyCli([...argv, "--record-key", "k1"], {})).toMatchObject({
      config: { record: { file: "rec.json", key: "k1" } },
    });
    expect(parseProxyCli(argv, { CONVERSEIQ_RECORD_KEY: "k2" })).toMatchObject({
      config: { record: { file: "rec.json", key: "k2" } },
    });
    expect(() => parseProxyCli(["--upstream", "http://x", "--record-key", "k"], {})).toThrow(UsageError);
  });
});

describe("converseiq-mock proxy --record FILE", { timeout: 90_000 }, () => {
  it("writes what it saw as a state file, and exits 0 on SIGTERM", async () => {
    const folder = mkdtempSync(join(tmpdir(), "record-cli-"));
    try {
      const file = join(folder, "recorded.json");
      const {
        child,
        exited,
        output: printed,
      } = runMockCommand(["proxy", "--upstream", upstream, "--port", "0", "--record", file], {
        ...process.env,
        CONVERSEIQ_API_KEY: KEY,
      });
      /** stdout, then stderr. */
      const output = () => Object.values(printed()).join("\n");
      const origin = await originFromOutput(child, PROXY_LISTENING, 30_000);
      const workspace = await (await fetch(`${origin}${PUBLIC_PREFIX}/workspace`)).json();
      const contacts = await (await fetch(`${origin}${PUBLIC_PREFIX}/contact?limit=3`)).json();
      child.kill("SIGTERM");
      expect(await exited, output()).toBe(0);
      expect(output()).toContain(`Recorded: ${file}`);

      const state = await readStateFile(file);
      expect(state?.workspace.guid).toBe(workspace.guid);
      expect(state?.workspace.name).not.toBe(workspace.name);
      expect(state?.contacts.map((c) => c.guid)).toEqual(contacts.data.map((c: { guid: string }) => c.guid));
      expect(readFileSync(file, "utf8")).not.toContain(KEY);
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  });
});
