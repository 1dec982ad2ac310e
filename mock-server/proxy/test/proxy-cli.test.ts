import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { originFromOutput } from "../../../scripts/server-port.ts";
import { buildMockServer, type MockServer } from "../../app.ts";
import { PROXY_LISTENING, parseProxyCli } from "../../cli/proxy.ts";
import { UsageError } from "../../cli/values.ts";
import { PUBLIC_PREFIX } from "../../mock-options.ts";
import { killCommands, runMockCommand } from "../../test/mock-command.ts";

const KEY = "mock-api-key";
let mock: MockServer;
let upstream: string;
const folders: string[] = [];

beforeAll(async () => {
  mock = await buildMockServer({ logger: false });
  upstream = await mock.listen({ port: 0 });
});
afterAll(() => mock.close());
afterEach(() => {
  killCommands();
  for (const folder of folders.splice(0)) rmSync(folder, { recursive: true, force: true });
});

describe("reading the proxy's flags", () => {
  it("takes --upstream, --port, --allow-writes, --report, and the key from CONVERSEIQ_API_KEY", () => {
    const request = parseProxyCli(
      ["--upstream", "https://api.example", "--port", "0", "--allow-writes", "--report", "out/live"],
      { CONVERSEIQ_API_KEY: "k" },
    );
    expect(request).toMatchObject({
      help: false,
      config: {
        options: { upstream: "https://api.example", port: 0, allowWrites: true, reportFile: "out/live", apiKey: "k" },
      },
    });
  });

  it("takes --max-upstream-body BYTES, and leaves the 64 MiB default to the proxy when it is absent", () => {
    const capped = parseProxyCli(["--upstream", "http://x", "--max-upstream-body", "1048576"], {});
    expect(capped).toMatchObject({ config: { options: { maxUpstreamBody: 1_048_576 } } });
    const plain = parseProxyCli(["--upstream", "http://x"], {});
    expect(plain.help ? undefined : plain.config.options.maxUpstreamBody).toBeUndefined();
  });

  it.each([
    [[], "--upstream URL is required"],
    [["--upstream", "http://x", "--max-upstream-body", "0"], "expected a number from 1"],
    [["--upstream", "nope"], 'expected a URL, got "nope"'],
    [["--upstream", "http://x", "--port", "http"], '--port: expected a whole number, got "http"'],
    [["--upstream", "http://x", "--port", "-1"], "--port: expected a number from 0 to 65535, got -1"],
    [["--upstream", "http://x", "--timeout"], "--timeout needs a value"],
    [["--upstream", "--port", "0"], "--upstream needs a value"],
    [["--upstream", "http://x", "--record-nothing"], "unknown flag --record-nothing"],
  ])("refuses %j: %s", (argv, message) => {
    expect(() => parseProxyCli(argv, {})).toThrow(UsageError);
    expect(() => parseProxyCli(argv, {})).toThrow(message);
  });
});

describe("the converseiq-mock proxy command", { timeout: 90_000 }, () => {
  it("forwards, logs each violation, and on SIGTERM exits 0 with the report written and the key nowhere", async () => {
    const folder = mkdtempSync(join(tmpdir(), "proxy-cli-"));
    folders.push(folder);
    const report = join(folder, "live");
    const env = { ...process.env, CONVERSEIQ_API_KEY: KEY };
    const {
      child,
      exited,
      output: printed,
    } = runMockCommand(["proxy", "--upstream", upstream, "--port", "0", "--report", report], env);
    /** stdout, then stderr. */
    const output = () => Object.values(printed()).join("\n");
    const origin = await originFromOutput(child, PROXY_LISTENING, 30_000);

    expect((await fetch(`${origin}${PUBLIC_PREFIX}/workspace`)).status).toBe(200);
    expect((await fetch(`${origin}${PUBLIC_PREFIX}/contact?limit=many`)).status).toBe(400);
    expect((await fetch(`${origin}${PUBLIC_PREFIX}/contact`, { method: "DELETE" })).status).toBe(403);
    child.kill("SIGTERM");
    expect(await exited).toBe(0);

    expect(output()).toContain("violation listContacts GET /public/v1/contact 400 request parameters: limit");
    const markdown = readFileSync(`${report}.md`, "utf8");
    const json = readFileSync(`${report}.json`, "utf8");
    expect(markdown).toContain("| getWorkspace | 1 | 200 (1×) | 0 |");
    expect(JSON.parse(json).operations.map((o: { operation: string }) => o.operation)).toEqual([
      "getWorkspace",
      "listContacts",
    ]);
    for (const text of [output(), markdown, json]) expect(text).not.toContain(KEY);
  });

  it("takes the base URL the mock prints as --upstream, and its banner shows the full upstream", async () => {
    const base = `${upstream}${PUBLIC_PREFIX}`;
    const env = { ...process.env, CONVERSEIQ_API_KEY: KEY };
    const { child, exited, output } = runMockCommand(["proxy", "--upstream", base, "--port", "0", "--quiet"], env);
    const origin = await originFromOutput(child, PROXY_LISTENING, 30_000);
    expect(output().stdout).toContain(`ConverseIQ validating proxy: ${origin}${PUBLIC_PREFIX} -> ${base}\n`);
    expect((await fetch(`${origin}${PUBLIC_PREFIX}/contact?limit=1`)).status).toBe(200);
    child.kill("SIGTERM");
    expect(await exited).toBe(0);
  });
});
