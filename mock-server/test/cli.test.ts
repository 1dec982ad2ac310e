import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach, describe, expect, it } from "vitest";
import { MOCK_LISTENING } from "../../scripts/server-port.ts";
import { banner, headline } from "../cli/banner.ts";
import { DEFAULT_HOST, DEFAULT_PORT, FLAGS, parseCli, usage } from "../cli/flags.ts";
import { UsageError } from "../cli/values.ts";
import { PUBLIC_PREFIX, withDefaults } from "../mock-options.ts";
import { DEFAULT_SEED } from "../store/seed.ts";
import { killCommands, runIsolatedMock } from "./mock-command.ts";

const config = (argv: string[], env: NodeJS.ProcessEnv = {}) => {
  const request = parseCli(argv, env);
  if (request.help) throw new Error("asked for help");
  return request.config;
};
const usageError = (argv: string[], env: NodeJS.ProcessEnv = {}): string => {
  try {
    parseCli(argv, env);
  } catch (error) {
    if (error instanceof UsageError) return error.message;
    throw error;
  }
  throw new Error(`no error for ${argv.join(" ")}`);
};

describe("reading flags and environment variables", () => {
  it("defaults to 127.0.0.1:4010, the default seed and sizes, logging on", () => {
    const { port, host, quiet, options } = config([]);
    expect({ port, host, quiet }).toEqual({ port: DEFAULT_PORT, host: DEFAULT_HOST, quiet: false });
    expect(port).toBe(4010);
    expect(options.seed).toEqual(DEFAULT_SEED);
    expect(options.apiKeys).toBeUndefined(); // withDefaults gives mock-api-key
    expect(withDefaults(options).apiKeys).toEqual(["mock-api-key"]);
  });

  it("reads every flag", () => {
    const { port, host, quiet, options } = config([
      ...["--port", "0", "--host", "0.0.0.0", "--api-key", "k1", "--api-key", "k2", "--seed=-3"],
      ...["--body-timeout", "2500", "--body-total-timeout", "30000"],
      ...["--contacts", "1000000", "--chats", "7", "--team", "2", "--channels", "4", "--bots", "0"],
      ...["--admin-token", "t", "--state", "s.json", "--quiet"],
      ...["--latency", "50-200", "--error-rate", "5%", "--rate-limit", "10/s", "--cors", "http://a.test,http://b.test"],
    ]);
    expect({ port, host, quiet }).toEqual({ port: 0, host: "0.0.0.0", quiet: true });
    expect(options).toEqual({
      apiKeys: ["k1", "k2"],
      bodyTimeoutMs: 2500,
      bodyTotalTimeoutMs: 30000,
      seed: { seed: -3, contacts: 1_000_000, chats: 7, team: 2, channels: 4, bots: 0 },
      adminToken: "t",
      stateFile: "s.json",
      latency: { min: 50, max: 200 },
      errorRate: 0.05,
      rateLimit: { limit: 10, windowMs: 1000 },
      cors: ["http://a.test", "http://b.test"],
    });
  });

  it("reads the environment variables, with MOCK_API_KEY separated by commas; a flag wins over its variable", () => {
    const env = {
      MOCK_PORT: "5000",
      MOCK_API_KEY: "a, b",
      MOCK_SEED: "9",
      MOCK_QUIET: "1",
      MOCK_ADMIN_TOKEN: "tok",
      MOCK_STATE_FILE: "x.json",
      MOCK_RATE_LIMIT: "600/min",
    };
    const fromEnv = config([], env);
    expect(fromEnv.port).toBe(5000);
    expect(fromEnv.quiet).toBe(true);
    expect(fromEnv.options).toMatchObject({
      apiKeys: ["a", "b"],
      seed: { seed: 9 },
      adminToken: "tok",
      stateFile: "x.json",
      rateLimit: { limit: 600, windowMs: 60_000 },
    });
    const flagsWin = config(["--port", "6000", "--api-key", "c"], env);
    expect(flagsWin.port).toBe(6000);
    expect(flagsWin.options.apiKeys).toEqual(["c"]);
  });

  it("reads --coverage, and --coverage-require as statuses or operations' statuses, which print the coverage too", () => {
    expect(config([])).toMatchObject({ coverage: false, coverageRequire: [] });
    expect(config(["--coverage"])).toMatchObject({ coverage: true, coverageRequire: [] });
    expect(config(["--coverage-require", "404", "--coverage-require", "getContact:429"])).toMatchObject({
      coverage: true,
      coverageRequire: [{ status: 404 }, { operationId: "getContact", status: 429 }],
    });
    expect(config([], { MOCK_COVERAGE_REQUIRE: "404, 429" }).coverageRequire).toEqual([
      { status: 404 },
      { status: 429 },
    ]);
    expect(usageError(["--coverage-require", "four"])).toMatch(/^--coverage-require: expected a status \(404\)/);
  });

  it("asks for help with --help or -h, and for the version with --version or -v", () => {
    expect(parseCli(["--help"])).toEqual({ help: true });
    expect(parseCli(["-h", "--port", "nope"])).toEqual({ help: true });
    expect(parseCli(["--version"])).toEqual({ help: true, version: true });
    expect(parseCli(["-v"])).toEqual({ help: true, version: true });
  });

  it("takes a value that starts with a dash as the flag's value", () => {
    expect(config(["--seed", "-3"]).options.seed.seed).toBe(-3);
  });

  it.each([
    [["--port", "http"], /^--port: expected a whole number, got "http"$/],
    [["--port", "70000"], /^--port: expected a number from 0 to 65535, got 70000$/],
    [["--port"], /^--port needs a value$/],
    [["--port", "-1"], /^--port: expected a number from 0 to 65535, got -1$/],
    [["--seed", "--port", "0"], /^--seed needs a value$/],
    [["--seed", "-v"], /^--seed needs a value$/],
    [["--quiet=yes"], /^--quiet takes no value$/],
    [["--contacts", "3000000"], /^--contacts: must be <= 2000000$/],
    [["--team", "0"], /^--team: must be >= 1$/],
    [["--body-timeout", "0"], /^--body-timeout: expected a number from 1 to 3600000, got 0$/],
    [["--seed", "1.5"], /^--seed: expected a whole number/],
    [["--api-key", ""], /^--api-key: an API key must not be empty/],
    [["--latency", "fast"], /^--latency: expected MIN-MAX/],
    [["--latency", "0-60000"], /^--latency: latency must be/],
    [["--error-rate", "2"], /^--error-rate: expected a share from 0 to 1/],
    [["--rate-limit", "10/fortnight"], /^--rate-limit: expected N\/s, N\/min or N\/hour/],
    [["--cors", "localhost:3000"], /^--cors: "localhost:3000" is not an origin/],
    [["--colour", "red"], /^unknown flag --colour$/],
    [["serve"], /^unexpected argument serve: this command takes flags only$/],
  ])("refuses %j with a message naming the flag", (argv, message) => {
    expect(usageError(argv)).toMatch(message);
  });

  it("reads --read-only with --state, from the flag or MOCK_STATE_READ_ONLY, and refuses it without --state or with --state-sync", () => {
    expect(config(["--state", "s.json", "--read-only"]).options).toMatchObject({
      stateFile: "s.json",
      stateReadOnly: true,
    });
    expect(config([], { MOCK_STATE_FILE: "s.json", MOCK_STATE_READ_ONLY: "1" }).options.stateReadOnly).toBe(true);
    expect(usageError(["--read-only"])).toBe("--read-only: needs --state FILE, the file to serve");
    expect(usageError([], { MOCK_STATE_READ_ONLY: "1" })).toMatch(/^MOCK_STATE_READ_ONLY: needs --state FILE/);
    expect(usageError(["--state", "s.json", "--read-only", "--state-sync"])).toMatch(
      /^--read-only and --state-sync: cannot be used together/,
    );
  });

  it("names the environment variable when its value is bad", () => {
    expect(usageError([], { MOCK_PORT: "x" })).toMatch(/^MOCK_PORT: /);
    expect(usageError([], { MOCK_CONTACTS: "-1" })).toMatch(/^MOCK_CONTACTS: must be >= 0$/);
    expect(usageError([], { MOCK_QUIET: "maybe" })).toMatch(/^MOCK_QUIET: expected 1\/true or 0\/false/);
  });

  it("documents every flag and its environment variable in --help, and the proxy command", () => {
    const text = usage();
    expect(text).toMatch(/^Commands:\n {2}proxy /m);
    expect(text).toContain("--version");
    for (const flag of FLAGS) {
      expect(text).toContain(`--${flag.name}`);
      expect(text).toContain(flag.env);
    }
    expect(text).toContain("--help");
    for (const line of text.split("\n")) expect(line.length).toBeLessThanOrEqual(110);
  });

  it("is documented flag by flag in mock-server/README.md, and the README names no flag the CLI lacks", async () => {
    const readme = await readFile(fileURLToPath(new URL("../README.md", import.meta.url)), "utf8");
    const table = readme.slice(readme.indexOf("## Command line"), readme.indexOf("## Admin API"));
    for (const flag of FLAGS) {
      expect(table).toContain(`\`--${flag.name}`);
      expect(table).toContain(`\`${flag.env}\``);
    }
    const documented = [...table.matchAll(/^\| `--([a-z-]+)/gm)].map((m) => m[1]);
    expect(documented.sort()).toEqual(FLAGS.map((f) => f.name).sort());
  });
});

describe("the replica flags", () => {
  it("read the Redis URL, prefix, consistency and snapshot spacing, from flags or the environment", () => {
    expect(
      config(["--redis", "redis://10.0.0.5:6380/2", "--redis-prefix", "qa", "--consistency", "eventual"]).options.redis,
    ).toEqual({ url: "redis://10.0.0.5:6380/2", prefix: "qa", consistency: "eventual" });
    expect(config([], { MOCK_REDIS: "redis://redis:6379", MOCK_SNAPSHOT_EVERY: "500" }).options.redis).toEqual({
      url: "redis://redis:6379",
      snapshotEvery: 500,
    });
    expect(config([]).options.redis).toBeUndefined();
  });

  it.each([
    [["--redis", "localhost:6379"], "--redis: expected redis://HOST:PORT[/DB]"],
    [["--consistency", "eventual"], "--consistency: needs --redis"],
    [["--redis-prefix", "qa"], "--redis-prefix: needs --redis"],
    [["--redis", "redis://r:6379", "--consistency", "sometimes"], "--consistency: expected strong or eventual"],
    [["--redis", "redis://r:6379", "--snapshot-every", "0"], "--snapshot-every"],
    [["--redis", "redis://r:6379", "--state", "s.json"], "--state: cannot be used with --redis"],
  ])("refuse %j, naming the flag", (argv, message) => {
    expect(usageError(argv)).toContain(message);
  });
});

describe("the banner", () => {
  it("says where the API is, which keys it accepts, where the fixtures are and how to reset", () => {
    const text = banner({
      origin: "http://127.0.0.1:4010",
      options: withDefaults({ adminToken: "do-not-print" }),
      stateLoaded: false,
    });
    expect(text).toContain(`http://127.0.0.1:4010${PUBLIC_PREFIX}`);
    expect(text).toContain("mock-api-key");
    expect(text).toContain("http://127.0.0.1:4010/__admin/fixtures");
    expect(text).toContain('-X POST -H "content-type: application/json" http://127.0.0.1:4010/__admin/reset');
    expect(text).toContain("http://127.0.0.1:4010/docs");
    expect(text).not.toContain("do-not-print");
    // Its first line is the one scripts read the origin from, with --quiet too.
    expect(text.split("\n")[0]).toBe(headline("http://127.0.0.1:4010"));
    expect(MOCK_LISTENING.exec(text)?.[1]).toBe("http://127.0.0.1:4010");
  });
});

// ---------------------------------------------------------------------------------------------------------
// The real command, as a child process.

const folders: string[] = [];
afterEach(async () => {
  killCommands();
  for (const folder of folders.splice(0)) await rm(folder, { recursive: true, force: true });
});

const run = (args: string[]) => runIsolatedMock(args);

async function newFolder() {
  const folder = await mkdtemp(join(tmpdir(), "converseiq-cli-"));
  folders.push(folder);
  return folder;
}

const SMALL_ARGS = ["--port", "0", "--contacts", "10", "--chats", "3"];

describe("the converseiq-mock command", { timeout: 90_000 }, () => {
  it("prints the usage and exits 0 on --help", async () => {
    const cli = run(["--help"]);
    expect(await cli.exited).toBe(0);
    expect(cli.output().stdout).toMatch(/^Usage: converseiq-mock \[options\]/);
  });

  it("prints the package's version and exits 0 on --version and -v, the proxy command too", async () => {
    const { version } = JSON.parse(
      await readFile(fileURLToPath(new URL("../../package.json", import.meta.url)), "utf8"),
    );
    for (const args of [["--version"], ["-v"], ["proxy", "--version"]]) {
      const cli = run(args);
      expect(await cli.exited, args.join(" ")).toBe(0);
      expect(cli.output().stdout).toBe(`${version}\n`);
    }
  });

  it("gives the proxy its own help with proxy --help", async () => {
    const cli = run(["proxy", "--help"]);
    expect(await cli.exited).toBe(0);
    expect(cli.output().stdout).toMatch(/^Usage: converseiq-mock proxy --upstream URL/);
  });

  it("exits 2 on a negative --port with the message of any bad value, not parseArgs' own", async () => {
    const cli = run(["--port", "-1"]);
    expect(await cli.exited).toBe(2);
    expect(cli.output().stderr).toBe(
      "converseiq-mock: --port: expected a number from 0 to 65535, got -1\nRun converseiq-mock --help for the flags.\n",
    );
  });

  it("exits 2 on a bad flag value, with a message and no stack trace", async () => {
    const cli = run(["--port", "http"]);
    expect(await cli.exited).toBe(2);
    const { stdout, stderr } = cli.output();
    expect(stdout).toBe("");
    expect(stderr).toContain('--port: expected a whole number, got "http"');
    expect(stderr).not.toMatch(/\n\s+at /);
  });

  it("serves the public API with the default key, never logs the key, and exits 0 on SIGTERM writing the state file", async () => {
    const state = join(await newFolder(), "state.json");
    const cli = run([...SMALL_ARGS, "--state", state]);
    const origin = await cli.listening();

    const workspace = await fetch(`${origin}${PUBLIC_PREFIX}/workspace`, { headers: { "x-api-key": "mock-api-key" } });
    expect(workspace.status).toBe(200);
    expect(await workspace.json()).toMatchObject({ guid: expect.any(String) });
    expect((await fetch(`${origin}${PUBLIC_PREFIX}/workspace`)).status).toBe(401);

    cli.child.kill("SIGTERM");
    expect(await cli.exited).toBe(0);
    const { stdout } = cli.output();
    const [bannerText, ...logLines] = stdout.split("Stop with Ctrl+C");
    expect(bannerText).toContain("mock-api-key");
    expect(logLines.join("")).toContain(`GET ${PUBLIC_PREFIX}/workspace 200`);
    expect(logLines.join("")).not.toContain("mock-api-key");
    expect(JSON.parse(await readFile(state, "utf8"))).toHaveProperty("workspace");
  });

  it("with --coverage-require, prints the coverage table on SIGTERM and exits 1 naming a status never answered", async () => {
    const cli = run([...SMALL_ARGS, "--quiet", "--coverage-require", "404,429"]);
    const origin = await cli.listening();
    const headers = { "x-api-key": "mock-api-key" };
    const contacts = (await (await fetch(`${origin}${PUBLIC_PREFIX}/contact?limit=1`, { headers })).json()) as {
      data: { guid: string }[];
    };
    const guid = contacts.data[0]?.guid ?? "";
    expect((await fetch(`${origin}${PUBLIC_PREFIX}/contact/${guid}`, { headers })).status).toBe(200);
    const unknown = "00000000-0000-4000-8000-000000000000";
    expect((await fetch(`${origin}${PUBLIC_PREFIX}/contact/${unknown}`, { headers })).status).toBe(404);

    cli.child.kill("SIGTERM");
    expect(await cli.exited).toBe(1);
    const { stdout, stderr } = cli.output();
    const table = stdout.slice(stdout.indexOf("Coverage of the documented statuses:"));
    expect(table).toMatch(/^getContact +GET \/contact\/\{contactId\} +2\/7 {2}200×1 -400 -401 404×1 -429 -500 -503$/m);
    expect(table).toMatch(/^listContacts +GET \/contact +1\/\d+ {2}200×1 /m);
    expect(table).toMatch(/^3 of \d+ documented statuses answered/m);
    expect(stderr).toBe("converseiq-mock: --coverage-require 429: never answered.\n");
  });

  it("with --coverage-require met, exits 0 on SIGINT after the table", async () => {
    const cli = run([...SMALL_ARGS, "--quiet", "--coverage-require", "401"]);
    const origin = await cli.listening();
    expect((await fetch(`${origin}${PUBLIC_PREFIX}/workspace`)).status).toBe(401);
    cli.child.kill("SIGINT");
    expect(await cli.exited).toBe(0);
    expect(cli.output().stdout).toMatch(/^getWorkspace +GET \/workspace +1\/\d+ {2}-200 401×1 /m);
    expect(cli.output().stderr).toBe("");
  });

  it("keeps what a client created across a restart with the same state file", async () => {
    const state = join(await newFolder(), "state.json");
    const first = run([...SMALL_ARGS, "--state", state, "--quiet"]);
    const origin = await first.listening();
    const created = await fetch(`${origin}${PUBLIC_PREFIX}/contact`, {
      method: "POST",
      headers: { "x-api-key": "mock-api-key", "content-type": "application/json" },
      body: JSON.stringify({ name: "Survivor", email: "survivor@example.com" }),
    });
    const { guid } = (await created.json()) as { guid: string };
    first.child.kill("SIGINT");
    expect(await first.exited).toBe(0);
    // Quiet: where it listened, and nothing else.
    expect(first.output().stdout).toBe(`${headline(origin)}\n`);

    const second = run([...SMALL_ARGS, "--state", state]);
    const contact = await fetch(`${await second.listening()}${PUBLIC_PREFIX}/contact/${guid}`, {
      headers: { "x-api-key": "mock-api-key" },
    });
    expect(contact.status).toBe(200);
    expect(await contact.json()).toMatchObject({ name: "Survivor" });
    expect(second.output().stdout).toContain(`loaded from ${state}`);
    second.child.kill("SIGTERM");
    expect(await second.exited).toBe(0);
  });
});
