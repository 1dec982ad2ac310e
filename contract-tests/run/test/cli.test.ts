import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { API_BASE_PATH } from "../../../generated/rules.ts";
import { buildMockServer, type MockServer } from "../../../mock-server/app.ts";
import { readSettings } from "../../support/settings.ts";
import { parseContractArgs, UsageError } from "../cli.ts";
import { breakContacts, type EditingProxy, startEditingProxy } from "../editing-proxy.ts";
import { ContractSetupError, contractEnv, contractSettings, runContract } from "../runner.ts";
import { contract } from "./contract-command.ts";

const KEY = "mock-api-key";

describe("converseiq-contract's command line", () => {
  it("exits 2 with the usage on bad usage, before running anything", async () => {
    for (const args of [[], ["--base-url", "http://127.0.0.1:1/public/v1"], ["--api-key", KEY, "--nope"]]) {
      const { code, output } = await contract(args);
      expect(code).toBe(2);
      expect(output).toContain("Usage: converseiq-contract --base-url URL --api-key KEY");
    }
    const bad = await contract(["--base-url", "notaurl", "--api-key", KEY]);
    expect(bad.code).toBe(2);
    expect(bad.output).toContain("--base-url is not a URL: notaurl");
  }, 60_000);

  it.each([
    [["--seed", "abc"], "--seed must be a whole number"],
    [["--fuzz-runs", "1.5"], "--fuzz-runs must be a whole number"],
    [["--mode", "lenient"], "--mode must be strict or tolerant"],
    [["--suite", "contact"], "unknown suite contact"],
    [["--base-url", "x", "extra"], "unexpected argument extra"],
    [["--base-url", "ftp://example.com/public/v1"], "--base-url must be an http or https URL: ftp://"],
    [["--fuzz-runs", "-1"], "--fuzz-runs must be a whole number; got -1"],
    [["--seed", "--mode", "strict"], "--seed needs a value"],
    [["--seed"], "--seed needs a value"],
  ])("refuses %j: %s", (args, message) => {
    const all = ["--base-url", "http://127.0.0.1:1/public/v1", "--api-key", KEY, ...args];
    expect(() => parseContractArgs(all, {})).toThrow(UsageError);
    expect(() => parseContractArgs(all, {})).toThrow(message);
  });

  it("asks for nothing else with --help, or with --version and -v", () => {
    expect(parseContractArgs(["--help"], {})).toEqual({ help: true });
    expect(parseContractArgs(["--version"], {})).toEqual({ help: true, version: true });
    expect(parseContractArgs(["-v"], {})).toEqual({ help: true, version: true });
  });

  it("prints the package's version and exits 0 on --version", async () => {
    const { version } = JSON.parse(readFileSync(new URL("../../../package.json", import.meta.url), "utf8"));
    const { code, output } = await contract(["--version"]);
    expect(code).toBe(0);
    expect(output).toBe(`${version}\n`);
  }, 60_000);

  it("names the flag or the variable the user gave when the base URL is not a URL", () => {
    expect(() => parseContractArgs(["--base-url", "notaurl", "--api-key", KEY], {})).toThrow(
      "--base-url is not a URL: notaurl",
    );
    expect(() => parseContractArgs(["--api-key", KEY], { CONVERSEIQ_BASE_URL: "notaurl" })).toThrow(
      "CONVERSEIQ_BASE_URL is not a URL: notaurl",
    );
    expect(() => parseContractArgs([], { CONVERSEIQ_BASE_URL: "http://127.0.0.1:1/public/v1" })).toThrow(
      "--api-key is required (or CONVERSEIQ_API_KEY)",
    );
  });

  it("takes the base URL and key from CONVERSEIQ_BASE_URL and CONVERSEIQ_API_KEY, the flags first", () => {
    const env = { CONVERSEIQ_BASE_URL: "https://env.example/public/v1", CONVERSEIQ_API_KEY: "from-env" };
    expect(parseContractArgs([], env)).toMatchObject({
      options: { baseUrl: "https://env.example/public/v1", apiKey: "from-env" },
    });
    const flags = ["--base-url", "https://flag.example/public/v1", "--api-key", "from-flag"];
    expect(parseContractArgs(flags, env)).toMatchObject({
      options: { baseUrl: "https://flag.example/public/v1", apiKey: "from-flag" },
    });
  });

  it("maps the flags to runContract's options, the key from CONVERSEIQ_API_KEY when not given", () => {
    const parsed = parseContractArgs(
      ["--base-url", "https://api.example.com/public/v1", "--allow-writes", "--fuzz-runs", "5", "--seed", "7"],
      { CONVERSEIQ_API_KEY: "from-env" },
    );
    expect(parsed).toMatchObject({
      help: false,
      options: {
        baseUrl: "https://api.example.com/public/v1",
        apiKey: "from-env",
        allowWrites: true,
        fuzzRuns: 5,
        seed: 7,
        driftReport: "reports/contract-drift",
      },
    });
  });

  it("takes a mock's admin token from --admin-token, else from MOCK_ADMIN_TOKEN, the variable the mock reads", () => {
    const args = ["--base-url", "http://127.0.0.1:4010/public/v1", "--api-key", "k"];
    const env = { MOCK_ADMIN_TOKEN: "from-env" };
    expect(parseContractArgs(args, env)).toMatchObject({ options: { adminToken: "from-env" } });
    expect(parseContractArgs([...args, "--admin-token", "flag"], env)).toMatchObject({
      options: { adminToken: "flag" },
    });
    expect(contractEnv({ adminToken: "t" }).CONTRACT_ADMIN_TOKEN).toBe("t");
  });
});

describe("runContract's settings", () => {
  it("stays read-only against a non-local target unless writes are allowed, whatever the environment says", () => {
    const live = { baseUrl: "https://api.example.com/public/v1", apiKey: "k" };
    const saved = process.env.CONTRACT_ALLOW_WRITES;
    process.env.CONTRACT_ALLOW_WRITES = "1";
    try {
      expect(contractSettings(live)).toMatchObject({ local: false, writesAllowed: false, mode: "tolerant" });
      expect(contractSettings({ ...live, allowWrites: true }).writesAllowed).toBe(true);
      expect(contractSettings({ baseUrl: "http://127.0.0.1:4010/public/v1" })).toMatchObject({
        local: true,
        writesAllowed: true,
        mode: "strict",
      });
    } finally {
      if (saved === undefined) delete process.env.CONTRACT_ALLOW_WRITES;
      else process.env.CONTRACT_ALLOW_WRITES = saved;
    }
  });

  it("reads CONVERSEIQ_BASE_URL and CONVERSEIQ_API_KEY in a run of the suites without the runner, naming them", () => {
    const user = { CONVERSEIQ_BASE_URL: "http://127.0.0.1:4010/public/v1", CONVERSEIQ_API_KEY: "k" };
    expect(readSettings(user)).toMatchObject({ kind: "http", baseUrl: user.CONVERSEIQ_BASE_URL, apiKey: "k" });
    expect(() => readSettings({ CONVERSEIQ_BASE_URL: "notaurl" })).toThrow("CONVERSEIQ_BASE_URL is not a URL: notaurl");
    // The runner's own variables, always set, keep what the caller's environment holds out of its run.
    expect(readSettings({ ...user, CONTRACT_BASE_URL: "", CONTRACT_API_KEY: "" })).toMatchObject({
      kind: "in-process",
    });
  });

  it("refuses a baseUrl that is not a URL, naming the option", async () => {
    await expect(runContract({ baseUrl: "notaurl" })).rejects.toThrow(
      new ContractSetupError("baseUrl is not a URL: notaurl"),
    );
  });

  it("hands the fuzzing runs and seed to the suites as the variables they read", () => {
    expect(contractEnv({ fuzzRuns: 12, modelRuns: 3, seed: 42 })).toMatchObject({
      CONTRACT_FUZZ_RUNS: "12",
      CONTRACT_MODEL_RUNS: "3",
      CONTRACT_FUZZ_SEED: "42",
    });
  });
});

describe("converseiq-contract against a mock", { timeout: 120_000 }, () => {
  let mock: MockServer;
  let origin: string;
  let broken: EditingProxy;
  let dir: string;
  beforeAll(async () => {
    mock = await buildMockServer({ logger: false });
    origin = await mock.listen({ port: 0, host: "127.0.0.1" });
    broken = await startEditingProxy(origin, breakContacts);
    dir = mkdtempSync(join(tmpdir(), "contract-cli-"));
  });
  afterAll(async () => {
    broken?.server.close();
    await mock?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it("passes (exit 0), prints the summary and writes the drift report and the JUnit file", async () => {
    const drift = join(dir, "drift");
    const junit = join(dir, "junit.xml");
    const args = ["--base-url", `${origin}${API_BASE_PATH}`, "--api-key", KEY, "--suite", "contacts"];
    const { code, output } = await contract([...args, "--drift-report", drift, "--junit", junit]);
    expect(output).toContain("── Contract summary ──");
    expect(output).toMatch(/Checks: \d+ pass, 0 FAIL/);
    expect(output).toContain("every check held");
    expect(code).toBe(0);
    expect(JSON.parse(readFileSync(`${drift}.json`, "utf8"))).toHaveProperty("schemas");
    expect(readFileSync(junit, "utf8")).toContain('<testsuites name="converseiq-contract"');
  });

  it("fails (exit 1) against the mock behind a proxy that makes every contact's email a number", async () => {
    const args = ["--base-url", `${broken.origin}${API_BASE_PATH}`, "--api-key", KEY, "--suite", "contacts"];
    const { code, output } = await contract([...args, "--drift-report", join(dir, "broken")]);
    expect(output).toContain("── Contract summary ──");
    expect(output).toMatch(/Checks: \d+ pass, [1-9]\d* FAIL/);
    expect(output).toContain("/email");
    expect(output).toContain("FAILED");
    expect(code).toBe(1);
  });

  it("runs the fuzzing and the sequences under one seed, and a failed run says the --seed that replays it", async () => {
    const args = ["--base-url", `${broken.origin}${API_BASE_PATH}`, "--api-key", KEY, "--suite", "fuzz"];
    const run = [...args, "--suite", "stateful", "--fuzz-runs", "1", "--model-runs", "1"];
    const first = await contract([...run, "--drift-report", join(dir, "seeded")]);
    expect(first.code).toBe(1);
    const seeds = [...first.output.matchAll(/^(?:fuzz|model-based): .*, seed (\d+)$/gm)].map((m) => m[1]);
    expect(seeds).toHaveLength(2);
    const [seed] = seeds;
    expect(seeds).toEqual([seed, seed]);
    expect(first.output).toContain(`Seed ${seed}: add --seed ${seed} to send the same fuzzing and sequences again.`);

    const again = await contract([...run, "--seed", `${seed}`, "--drift-report", join(dir, "seeded")]);
    expect(again.code).toBe(1);
    expect(again.output).toContain(`fuzz: 1 runs per property, seed ${seed}\n`);
    expect(again.output).not.toContain("add --seed");
  }, 300_000);
});
