/**
 * The package from outside: `npm pack` (which builds: `prepack`), publint and "are the types wrong" on the
 * tarball, then a fresh consumer project in a temporary folder that installs the tarball from npm's cache
 * with no network (`npm ci --offline` over a lock file made from this repository's, consumer-lock.ts), and
 * in it: plain Node ESM imports every entry point of `exports`; tsc checks a consumer file under `strict`
 * and `exactOptionalPropertyTypes` (and no skipLibCheck, so the shipped .d.ts files are checked too); the
 * installed `converseiq-mock` command starts from node_modules and answers, with no tsx there; both bins
 * answer --help and --version; the proxy takes the base URL the mock prints as its upstream; the LICENSE
 * ships, and every dependency installed is under a licence that allows redistribution; the installed
 * README's links all lead to files and headings of the installed package, the CI recipe it tells users to
 * copy is there, and installing the tarball prints no warning that names the package; and every `ts` block
 * of the README type-checks under the same settings, and runs unless it says why not.
 */
import { type ChildProcess, execFile, type SpawnOptions, spawn } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { copyFile, mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FAULTS, startFaultyServer } from "../../contract-tests/run/faults.ts";
import { TEST_SEED } from "../test-seed.ts";
import { consumerLock } from "./consumer-lock.ts";
import { brokenLinks, markdownFiles, relativeLinks } from "./markdown-links.ts";
import { readmeBlocks } from "./readme-blocks.ts";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));
const BIN = join(ROOT, "node_modules", ".bin");
const TSC = join(ROOT, "node_modules", "typescript", "bin", "tsc");
/** The target for the installed mock's first answer, from the start of its process. Printed, not asserted. */
const FIRST_ANSWER_TARGET_MS = 400;

interface Manifest {
  name: string;
  version: string;
  exports: Record<string, string | { types: string; default: string }>;
  bin: Record<string, string>;
  license?: string;
  dependencies?: Record<string, string>;
  scripts?: Record<string, string>;
}

/**
 * The scripts npm runs when a project installs a package (`prepare` for a tarball, a folder or git):
 * npm 11 names a package that has one in a warning at the end of every install.
 */
const INSTALL_SCRIPTS = ["preinstall", "install", "postinstall", "prepare"];

const exec = promisify(execFile);
let manifest: Manifest;
let work: string;
let consumer: string;
let tarball: string;
/** What `npm install` of the tarball printed, in the consumer that has it already (see beforeAll). */
let installOutput: string;

async function run(
  command: string,
  args: string[],
  cwd: string,
  env: NodeJS.ProcessEnv = {},
): Promise<{ code: number; output: string }> {
  try {
    const { stdout, stderr } = await exec(command, args, {
      cwd,
      env: { ...process.env, ...env },
      maxBuffer: 64 * 1024 * 1024,
    });
    return { code: 0, output: stdout + stderr };
  } catch (error) {
    const failed = error as { code?: number; stdout?: string; stderr?: string };
    return { code: typeof failed.code === "number" ? failed.code : 1, output: `${failed.stdout}${failed.stderr}` };
  }
}

beforeAll(async () => {
  manifest = JSON.parse(await readFile(join(ROOT, "package.json"), "utf8")) as Manifest;
  work = await mkdtemp(join(tmpdir(), "converseiq-kit-package-"));
  consumer = join(work, "consumer");
  // npm pack runs `prepack`: dist/ is built from the sources now (tsc and the mock's bundle).
  const packed = await run("npm", ["pack", "--pack-destination", work, "--silent"], ROOT);
  if (packed.code !== 0) throw new Error(`npm pack failed:\n${packed.output}`);
  const file = `${manifest.name}-${manifest.version}.tgz`;
  tarball = join(work, file);

  await run("mkdir", ["-p", consumer], work);
  await copyFile(tarball, join(consumer, file));
  const { dependencies, lock } = await consumerLock({
    repoLockPath: join(ROOT, "package-lock.json"),
    kit: manifest,
    tarballPath: join(consumer, file),
    // msw for ./msw and vitest for ./vitest and ./contract (optional peers), fastify for a consumer's own app
    // that mounts ./fastify, @types/node as any Node project has.
    extra: ["msw", "vitest", "fastify", "@types/node"],
  });
  await writeFile(
    join(consumer, "package.json"),
    `${JSON.stringify({ name: "consumer", private: true, type: "module", dependencies }, null, 2)}\n`,
  );
  await writeFile(join(consumer, "package-lock.json"), `${JSON.stringify(lock, null, 2)}\n`);
  const installed = await run("npm", ["ci", "--offline", "--no-audit", "--no-fund", "--ignore-scripts"], consumer);
  if (installed.code !== 0) throw new Error(`npm ci --offline in the consumer failed:\n${installed.output}`);
  // The kit installed again as a user installs a tarball (`npm install FILE`), with the scripts' check on
  // (--ignore-scripts hides npm's install-script warning): everything else is in place and locked, so it
  // needs no network, and nothing is new to run. Scarf's opt-out, in case an older npm would run it.
  const again = await run("npm", ["install", `./${file}`, "--offline", "--no-audit", "--no-fund"], consumer, {
    SCARF_ANALYTICS: "false",
  });
  if (again.code !== 0) throw new Error(`npm install ./${file} --offline in the consumer failed:\n${again.output}`);
  installOutput = `${installed.output}\n${again.output}`;
});

afterAll(async () => {
  if (work) await rm(work, { recursive: true, force: true });
});

describe("the packed tarball", () => {
  it("publint reports nothing", async () => {
    const { code, output } = await run(join(BIN, "publint"), ["run", tarball, "--strict"], ROOT);
    expect(output).toContain("All good");
    expect(code).toBe(0);
  });

  // ESM only ("type": "module", Node >= 20.19): the profile leaves out node10 and CommonJS resolution,
  // which this package does not offer; everything else attw checks is checked.
  it("are the types wrong reports nothing (esm-only profile)", async () => {
    const { code, output } = await run(
      join(BIN, "attw"),
      ["--profile", "esm-only", "--format", "ascii", tarball],
      ROOT,
    );
    const problems = output.split("\n").filter((line) => /❌|💀|⚠️/u.test(line) && !line.includes("(ignored"));
    expect(problems, output).toEqual([]);
    expect(code, output).toBe(0);
  });

  it("ships compiled JavaScript and declarations, no TypeScript sources or tests", async () => {
    const { output } = await run("tar", ["-tzf", tarball], work);
    const files = output.trim().split("\n");
    expect(files.filter((file) => file.endsWith(".ts") && !file.endsWith(".d.ts"))).toEqual([]);
    expect(files.filter((file) => /\.test(-d)?\.(js|d\.ts)$/.test(file) && !file.includes("/suites/"))).toEqual([]);
    expect(files).toContain("package/dist/mock-server/cli.js");
    expect(files).not.toContain("package/dist/mock-server/inputs.json");
  });

  it("ships the MIT licence, and says so in package.json", async () => {
    const { output } = await run("tar", ["-tzf", tarball], work);
    expect(output.trim().split("\n")).toContain("package/LICENSE");
    expect(manifest.license).toBe("MIT");
  });
});

describe("installed in a fresh consumer project (offline, from npm's cache)", () => {
  it("prints no warning that names the package, and its manifest runs nothing at install", async () => {
    const warnings = installOutput.split("\n").filter((line) => /\bwarn\b/i.test(line) && line.includes(manifest.name));
    expect(warnings, installOutput).toEqual([]);
    const installed = JSON.parse(
      await readFile(join(consumer, "node_modules", manifest.name, "package.json"), "utf8"),
    ) as Manifest;
    expect(INSTALL_SCRIPTS.filter((name) => installed.scripts?.[name] !== undefined)).toEqual([]);
  });

  it("has a README whose every relative link leads to a file, and heading, of the installed package", () => {
    const installed = join(consumer, "node_modules", manifest.name);
    const readme = join(installed, "README.md");
    // A README with no relative link checks nothing: the README links its docs pages and the CI recipe.
    expect(relativeLinks(readFileSync(readme, "utf8")).length).toBeGreaterThan(5);
    expect(brokenLinks(readme, installed)).toEqual([]);
  });

  it("has no Markdown page whose relative links lead out of the installed package", () => {
    const installed = join(consumer, "node_modules", manifest.name);
    const pages = markdownFiles(installed);
    // The README, the docs pages for users and the folder READMEs they link.
    expect(pages.length).toBeGreaterThan(5);
    expect(pages.flatMap((page) => brokenLinks(page, installed))).toEqual([]);
  });

  it("has the CI recipe the README tells users to copy", () => {
    const installed = join(consumer, "node_modules", manifest.name);
    expect(readFileSync(join(installed, "README.md"), "utf8")).toContain("examples/github-actions/consumer.yml");
    expect(readFileSync(join(installed, "examples", "github-actions", "consumer.yml"), "utf8")).toContain("jobs:");
  });

  it("has no TypeScript loader or compiler among what it installed", () => {
    for (const name of ["tsx", "typescript"])
      expect(existsSync(join(consumer, "node_modules", name)), name).toBe(false);
  });

  // swagger-ui-dist depends on @scarf/scarf, whose install script reports each install and which npm names
  // in its warning: the kit ships Swagger UI's files instead (scripts/build.ts).
  it("brings no package that reports its installs (@scarf/scarf, through swagger-ui-dist)", () => {
    for (const name of ["@scarf/scarf", "swagger-ui-dist"])
      expect(existsSync(join(consumer, "node_modules", name)), name).toBe(false);
  });

  it("its declaration files import .js specifiers, which every TypeScript version resolves", async () => {
    const dist = join(consumer, "node_modules", manifest.name, "dist");
    const files = (await readdir(dist, { recursive: true })).filter((name) => name.endsWith(".d.ts"));
    expect(files.length).toBeGreaterThan(0);
    for (const name of files)
      expect(await readFile(join(dist, name), "utf8"), name).not.toMatch(/["']\.{1,2}\/[^"']*\.ts["']/);
  });

  it("plain Node ESM imports every entry point", async () => {
    const lines = Object.keys(manifest.exports)
      .filter((key) => key !== "./package.json")
      .map((key) => {
        const specifier = key === "." ? manifest.name : `${manifest.name}/${key.slice(2)}`;
        const attributes = key.endsWith(".json") ? `, { with: { type: "json" } }` : "";
        return `entries[${JSON.stringify(key)}] = Object.keys(await import(${JSON.stringify(specifier)}${attributes}));`;
      });
    await writeFile(
      join(consumer, "imports.mjs"),
      `const entries = {};\n${lines.join("\n")}\nconsole.log(JSON.stringify(entries));\n`,
    );
    const { code, output } = await run(process.execPath, ["imports.mjs"], consumer);
    expect(code, output).toBe(0);
    const entries = JSON.parse(output) as Record<string, string[]>;
    expect(entries["."]).toEqual(expect.arrayContaining(["createClient", "paginate", "PageError"]));
    expect(entries["./mock"]).toEqual(
      expect.arrayContaining(["createMockFetch", "startMock", "startProxy", "connectMock"]),
    );
    expect(entries["./vitest"]).toEqual(
      expect.arrayContaining(["default", "converseiqMockSetup", "useConverseiqMock"]),
    );
    expect(entries["./contract"]).toEqual(expect.arrayContaining(["runContract", "replayJournal"]));
    expect(entries["./msw"]).toEqual(expect.arrayContaining(["createHandlers"]));
    expect(entries["./fastify"]).toEqual(expect.arrayContaining(["default", "converseiqMock"]));
    expect(entries["./openapi.json"]).toEqual(["default"]);
    expect(entries["./openapi-3.0.json"]).toEqual(["default"]);
  });

  it("ships both specs: OpenAPI 3.1, and its 3.0 rendition at the path the client-generator docs give", async () => {
    const generated = join(consumer, "node_modules", manifest.name, "dist", "generated");
    const spec31 = JSON.parse(await readFile(join(generated, "openapi.json"), "utf8")) as Record<string, unknown>;
    const spec30 = JSON.parse(await readFile(join(generated, "openapi-3.0.json"), "utf8")) as Record<string, unknown>;
    expect(spec31.openapi).toMatch(/^3\.1\./);
    expect(spec30.openapi).toBe("3.0.3");
    expect(Object.keys(spec30.paths as object)).toEqual(Object.keys(spec31.paths as object));
    expect(Object.keys(spec30["x-webhooks"] as object)).toEqual(Object.keys(spec31.webhooks as object));
  });

  it("overrides, a scenario and the clock work from the installed package on all three transports", async () => {
    await writeFile(
      join(consumer, "control.mjs"),
      `import assert from "node:assert/strict";
import { setupServer } from "msw/node";
import { createMockFetch, startMock } from "converseiq-kit/mock";
import { createHandlers } from "converseiq-kit/msw";

const DATE = "2030-01-01T00:00:00.000Z";
async function exercise(name, control, send) {
  const headers = { "x-api-key": "mock-api-key", "content-type": "application/json" };
  const get = (path) => send(path, { headers });
  const handle = await control.override("getWorkspace", { status: 503, times: 1 });
  assert.equal((await get("/workspace")).status, 503, name + ": the override answers");
  assert.equal((await get("/workspace")).status, 200, name + ": and runs out after times: 1");
  await handle.remove();
  await control.scenario("rate-limited");
  const limited = await get("/contact");
  assert.equal(limited.status, 429, name + ": rate-limited answers 429");
  assert.ok(limited.headers.get("retry-after"), name + ": with Retry-After");
  await control.reset();
  assert.equal((await get("/contact")).status, 200, name + ": reset turns the scenario off");
  await control.clock.set(DATE);
  const made = await send("/contact", { method: "POST", headers, body: JSON.stringify({ name: "Clock Work" }) });
  assert.equal((await made.json()).created_at, DATE, name + ": new records follow the clock");
  await control.clock.real();
  console.log(name + ": ok");
}

const running = await startMock();
await exercise("startMock", running, (path, init) => fetch(running.url + path, init));
await running.close();
const inProcess = createMockFetch();
await exercise("createMockFetch", inProcess, (path, init) => inProcess.fetch(inProcess.baseUrl + path, init));
const handlers = createHandlers();
const server = setupServer(...handlers.handlers);
server.listen({ onUnhandledRequest: "error" });
await exercise("createHandlers", handlers, (path, init) => fetch("https://api.converseiq.com.au/public/v1" + path, init));
server.close();
`,
    );
    const { code, output } = await run(process.execPath, ["control.mjs"], consumer);
    expect(output).toBe("startMock: ok\ncreateMockFetch: ok\ncreateHandlers: ok\n");
    expect(code).toBe(0);
  });

  it("a consumer file type-checks under strict and exactOptionalPropertyTypes", async () => {
    await writeFile(
      join(consumer, "consumer.ts"),
      `import { type ApiError, createClient, PageError, paginate } from "converseiq-kit";
import { createMockFetch, type MockClockState, type RunningMock, startMock } from "converseiq-kit/mock";
import { type ContractResult, type ReplayResult, replayJournal, runContract } from "converseiq-kit/contract";
import { createHandlers } from "converseiq-kit/msw";
import { converseiqMock } from "converseiq-kit/fastify";
import Fastify from "fastify";
import type {} from "converseiq-kit/vitest";
import type { components, paths } from "converseiq-kit/types";
import spec from "converseiq-kit/openapi.json" with { type: "json" };

const mock = createMockFetch({ seed: 7 });
await mock.clock.set(new Date("2030-01-01T00:00:00Z"));
const clockState: MockClockState = await mock.clock.advance(1000);
console.log(clockState.now, (await createHandlers({ seed: { seed: 7 } }).clock.now()).frozen);
const client = createClient({ apiKey: mock.apiKey, baseUrl: mock.baseUrl, fetch: mock.fetch });
const page = await client.GET("/contact", { params: { query: { limit: 5 } } });
const first: components["schemas"]["Contact"] | undefined = page.data?.data[0];
const error: ApiError | undefined = page.error;
for await (const contact of paginate(client, "/contact", { params: { query: { limit: 2 } } })) {
  const id: string = contact.guid;
  console.log(id);
  break;
}
const handlers = createHandlers().handlers;
const app = Fastify();
await app.register(converseiqMock, { prefix: "/converseiq", apiKeys: ["consumer-key"] });
const mounted = await app.inject({ url: "/converseiq/public/v1/workspace", headers: { "x-api-key": "consumer-key" } });
console.log(mounted.statusCode);
await app.close();
await using running: RunningMock = await startMock({ apiKeys: ["consumer-key"] });
const contacts = await running.client.GET("/contact", { params: { query: { limit: 1 } } });
const snapshot = await running.snapshot();
await running.reset();
await running.restore(snapshot);
await running.clock.set("2030-01-01T00:00:00Z");
await running.clock.real();
console.log(running.url, running.origin, running.apiKey, contacts.data?.data.length, (await running.journal()).entries.length);
const replayed: ReplayResult = await replayJournal({ journal: await running.journal(), baseUrl: running.url, apiKey: running.apiKey });
if (replayed.exitCode !== 0) throw new Error(replayed.lines.join(" / "));
// Overrides and scenarios, typed by the spec, on all three transports.
const gone = await mock.override("getContact", { status: 404 });
await gone.remove();
await mock.override("listContacts", { status: 429, times: 2, when: { query: { limit: 5 } } });
await mock.override("createContact", ({ state }) => (state.contacts.size > 0 ? { status: 409 } : { status: 400 }));
// @ts-expect-error getWorkspace documents no 404
await mock.override("getWorkspace", { status: 404 });
await createHandlers().override("getWorkspace", { networkError: true });
await running.override("getWorkspace", { status: 503, times: 1 });
await running.scenario("rate-limited");
const path: keyof paths = "/contact";
const version: string = spec.openapi;
const contract: ContractResult = await runContract({ baseUrl: running.url, apiKey: running.apiKey, fuzzRuns: 1 });
console.log(contract.ok, first, error, PageError, handlers.length, path, version);
await mock.close();
`,
    );
    await writeFile(
      join(consumer, "tsconfig.json"),
      `${JSON.stringify(
        {
          compilerOptions: {
            target: "ES2023",
            lib: ["ES2023", "ESNext.Disposable", "DOM"],
            module: "NodeNext",
            moduleResolution: "NodeNext",
            strict: true,
            exactOptionalPropertyTypes: true,
            noUncheckedIndexedAccess: true,
            resolveJsonModule: true,
            skipLibCheck: false,
            noEmit: true,
            types: ["node"],
          },
          files: ["consumer.ts"],
        },
        null,
        2,
      )}\n`,
    );
    const { code, output } = await run(process.execPath, [TSC, "-p", "."], consumer);
    expect(output).toBe("");
    expect(code).toBe(0);
  });

  it("has the MIT LICENSE beside its package.json", async () => {
    const text = await readFile(join(consumer, "node_modules", manifest.name, "LICENSE"), "utf8");
    expect(text).toMatch(/^MIT License\n\nCopyright \(c\) \d{4} converseiq-kit contributors\n/);
  });

  it("installs for its dependencies only packages whose licences allow redistribution", async () => {
    const installed = await dependencyTree(join(consumer, "node_modules", manifest.name), consumer);
    console.log(
      `Runtime dependencies (${installed.length}):\n${installed.map((p) => `  ${p.name} ${p.version} ${p.license}`).join("\n")}`,
    );
    const names = new Set(installed.map((p) => p.name));
    expect(Object.keys(manifest.dependencies ?? {}).filter((name) => !names.has(name))).toEqual([]);
    expect(installed.filter((p) => !allowsRedistribution(p.license))).toEqual([]);
  });

  it.each([
    ["converseiq-mock", ["--help"], /^Usage: converseiq-mock \[options\][\s\S]*\n {2}proxy /],
    ["converseiq-mock", ["proxy", "--help"], /^Usage: converseiq-mock proxy --upstream URL/],
    ["converseiq-contract", ["--help"], /^Usage: converseiq-contract --base-url URL/],
  ])("%s %j prints its usage and exits 0", async (bin, args, usage) => {
    const { code, output } = await run(process.execPath, [join("node_modules", ".bin", bin), ...args], consumer);
    expect(output).toMatch(usage);
    expect(code).toBe(0);
  });

  it.each([
    ["converseiq-mock", ["--version"]],
    ["converseiq-mock", ["-v"]],
    ["converseiq-mock", ["proxy", "--version"]],
    ["converseiq-contract", ["--version"]],
  ])("%s %j prints the package's version and exits 0", async (bin, args) => {
    const { code, output } = await run(process.execPath, [join("node_modules", ".bin", bin), ...args], consumer);
    expect(output).toBe(`${manifest.version}\n`);
    expect(code).toBe(0);
  });

  it("converseiq-mock proxy forwards to the base URL the mock prints, and says so in its first line", async () => {
    const bin = join("node_modules", ".bin", "converseiq-mock");
    const options: SpawnOptions = { cwd: consumer, stdio: ["ignore", "pipe", "pipe"], detached: true };
    const mock = spawn(process.execPath, [bin, "--port", "0", "--quiet"], options);
    let proxy: ChildProcess | undefined;
    try {
      const baseUrl = await listeningUrl(mock);
      proxy = spawn(process.execPath, [bin, "proxy", "--upstream", baseUrl, "--port", "0", "--quiet"], options);
      const line = await printed(proxy, /ConverseIQ validating proxy: .*\n/, "the proxy");
      const proxied = line.split(" ")[3] as string;
      expect(proxied).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/public\/v1$/);
      expect(line).toBe(`ConverseIQ validating proxy: ${proxied} -> ${baseUrl}\n`);
      const response = await fetch(`${proxied}/contact?limit=1`, { headers: { "x-api-key": "mock-api-key" } });
      expect(response.status).toBe(200);
      expect(((await response.json()) as { data: unknown[] }).data).toHaveLength(1);
    } finally {
      if (proxy) await stopGroup(proxy);
      await stopGroup(mock);
    }
  });

  it("every ts block of the README type-checks under strict, and each not marked 'not run' runs", async () => {
    const blocks = readmeBlocks(await readFile(join(ROOT, "README.md"), "utf8"));
    expect(blocks.length).toBeGreaterThan(0);
    await mkdir(join(consumer, "readme"), { recursive: true });
    // One file per block, named by its line in the README: a failure names the block.
    const file = (line: number) => `readme-line-${line}`;
    for (const block of blocks) await writeFile(join(consumer, "readme", `${file(block.line)}.ts`), `${block.code}\n`);
    // The consumer's strict settings, emitting what Node runs (`await using` compiled for Node 20).
    const tsconfig = JSON.parse(await readFile(join(consumer, "tsconfig.json"), "utf8")) as {
      compilerOptions: Record<string, unknown>;
    };
    await writeFile(
      join(consumer, "tsconfig.readme.json"),
      JSON.stringify({
        compilerOptions: { ...tsconfig.compilerOptions, noEmit: false, rootDir: "readme", outDir: "readme-out" },
        include: ["readme/*.ts"],
      }),
    );
    const checked = await run(process.execPath, [TSC, "-p", "tsconfig.readme.json"], consumer);
    expect(checked.output).toBe("");
    expect(checked.code).toBe(0);
    for (const block of blocks.filter((b) => b.notRun === undefined)) {
      const ran = await run(process.execPath, [join("readme-out", `${file(block.line)}.js`)], consumer);
      expect(ran.code, `README.md line ${block.line}:\n${ran.output}`).toBe(0);
    }
  });

  // Two ways in, each timed from the spawn to the first answer: npx (its own start is part of the time)
  // and the installed bin in plain node.
  it.each([
    ["npx converseiq-mock", "npx", ["--offline", "--no-install", "converseiq-mock"]],
    ["node node_modules/.bin/converseiq-mock", process.execPath, ["node_modules/.bin/converseiq-mock"]],
  ])("%s runs from node_modules, compiled, and answers", async (label, command, args) => {
    const started = performance.now();
    // Its own process group: npx starts the mock as a child of its own, which a signal to npx alone leaves
    // running; the whole group is stopped at the end.
    const child = spawn(command, [...args, "--port", "0", "--host", "127.0.0.1", "--quiet"], {
      cwd: consumer,
      stdio: ["ignore", "pipe", "pipe"],
      detached: true,
    });
    try {
      const baseUrl = await listeningUrl(child);
      const response = await fetch(`${baseUrl}/contact?limit=1`, { headers: { "x-api-key": "mock-api-key" } });
      const ms = performance.now() - started;
      expect(response.status).toBe(200);
      const body = (await response.json()) as { data: unknown[] };
      expect(body.data).toHaveLength(1);
      // The reference page's Swagger UI files come with the package (swagger-ui-dist is not installed).
      const asset = await fetch(`${new URL(baseUrl).origin}/docs/assets/swagger-ui-bundle.js`);
      expect(asset.status).toBe(200);
      expect((await asset.arrayBuffer()).byteLength).toBeGreaterThan(100_000);
      const verdict = ms <= FIRST_ANSWER_TARGET_MS ? "PASS" : "MISS";
      console.log(
        `${label} (installed): first answer ${Math.round(ms)} ms after the start ` +
          `(target ${FIRST_ANSWER_TARGET_MS} ms): ${verdict}`,
      );
    } finally {
      await stopGroup(child);
    }
  });
});

/** Stops a child started with `detached: true` and every process of its group, and waits for it to exit. */
async function stopGroup(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) return;
  const exited = new Promise((resolve) => child.once("exit", resolve));
  try {
    process.kill(-child.pid, "SIGTERM");
  } catch {
    child.kill("SIGTERM"); // the group is gone already: the child alone
  }
  await exited;
}

describe("npx converseiq-contract from the consumer's node_modules", () => {
  it("passes against a startMock URL", async () => {
    const { code, output } = await contractAgainst("sound", [
      "--fuzz-runs",
      "5",
      "--model-runs",
      "3",
      "--seed",
      String(TEST_SEED),
    ]);
    expect(code, output).toBe(0);
  });

  // One defect, one failure, as a CI user reads it: the installed command against a server with one broken
  // rule (listContacts' page shape, contract-tests/run/faults.ts) fails the checks of that operation only,
  // tells the failure once, and prints under 100 lines; its JUnit file stays small.
  it("against a one-fault server: exit 1, the checks of that operation only, under 100 lines", async () => {
    const server = await startFaultyServer(FAULTS["listContacts page shape"]);
    try {
      const json = join(work, "one-fault.json");
      const junit = join(work, "one-fault.xml");
      const { code, output } = await run(
        "npx",
        ["--offline", "--no-install", "converseiq-contract", "--base-url", server.baseUrl, "--api-key", "mock-api-key"]
          .concat(["--fuzz-runs", "5", "--model-runs", "2", "--seed", "1", "--json", json, "--junit", junit])
          .concat(["--drift-report", join(work, "one-fault-drift")]),
        consumer,
      );
      expect(code, output).toBe(1);
      const report = JSON.parse(await readFile(json, "utf8")) as {
        counts: { failed: number };
        failures: { operation: string; count: number }[];
      };
      expect(report.counts.failed, output).toBe(7);
      expect(report.failures, output).toEqual([expect.objectContaining({ operation: "listContacts", count: 7 })]);
      expect(output.trimEnd().split("\n").length, output).toBeLessThan(100);
      expect((await stat(junit)).size).toBeLessThan(100 * 1024);
    } finally {
      await server.close();
    }
  }, 300_000);

  it("fails against a mock whose lists lost a required property", async () => {
    const { code, output } = await contractAgainst("broken", ["--suite", "pagination"]);
    expect(code, output).toBe(1);
    expect(output).toMatch(/guid/);
  });
});

/**
 * A mock started by startMock in the consumer (serve.mjs), printing `{"url","apiKey"}` as its first line;
 * `broken` puts a proxy in front that drops `guid` from every item of a list's `data`: one way the API's
 * answers could stop matching the spec.
 */
const SERVE = `import { createServer } from "node:http";
import { startMock } from "converseiq-kit/mock";
const mock = await startMock();
let url = mock.url;
if (process.argv[2] === "broken") {
  const skip = new Set(["host", "connection", "content-length", "transfer-encoding", "content-encoding", "keep-alive"]);
  const proxy = createServer(async (request, response) => {
    const chunks = [];
    for await (const chunk of request) chunks.push(chunk);
    const body = Buffer.concat(chunks);
    const headers = Object.fromEntries(Object.entries(request.headers).filter(([name]) => !skip.has(name)));
    const upstream = await fetch(mock.origin + request.url, { method: request.method, headers, body: body.length > 0 ? body : undefined });
    let bytes = Buffer.from(await upstream.arrayBuffer());
    if ((upstream.headers.get("content-type") ?? "").includes("json") && bytes.length > 0) {
      const json = JSON.parse(bytes.toString());
      if (Array.isArray(json?.data)) for (const item of json.data) delete item.guid;
      bytes = Buffer.from(JSON.stringify(json));
    }
    const out = {};
    upstream.headers.forEach((value, name) => { if (!skip.has(name)) out[name] = value; });
    response.writeHead(upstream.status, out).end(bytes);
  });
  await new Promise((resolve) => proxy.listen(0, "127.0.0.1", resolve));
  url = "http://127.0.0.1:" + proxy.address().port + new URL(mock.url).pathname;
}
console.log(JSON.stringify({ url, apiKey: mock.apiKey }));
`;

async function contractAgainst(kind: "sound" | "broken", extra: string[]): Promise<{ code: number; output: string }> {
  await writeFile(join(consumer, "serve.mjs"), SERVE);
  const server = spawn(process.execPath, ["serve.mjs", kind], { cwd: consumer, stdio: ["ignore", "pipe", "inherit"] });
  try {
    const target = await new Promise<{ url: string; apiKey: string }>((resolve, reject) => {
      let output = "";
      server.stdout?.on("data", (chunk: Buffer) => {
        output += chunk.toString();
        const line = output.split("\n").find((text) => text.startsWith("{"));
        if (line) resolve(JSON.parse(line) as { url: string; apiKey: string });
      });
      server.on("exit", (code) => reject(new Error(`serve.mjs exited (${code}): ${output}`)));
    });
    return await run(
      "npx",
      [
        "--offline",
        "--no-install",
        "converseiq-contract",
        "--base-url",
        target.url,
        "--api-key",
        target.apiKey,
        ...extra,
      ],
      consumer,
    );
  } finally {
    server.kill("SIGTERM");
  }
}

/** The base URL the mock prints when it listens (`ConverseIQ mock server: http://127.0.0.1:PORT/public/v1`). */
async function listeningUrl(child: ChildProcess): Promise<string> {
  const line = await printed(child, /ConverseIQ mock server: (http:\/\/\S+)/, "the mock");
  return (/ConverseIQ mock server: (http:\/\/\S+)/.exec(line) as RegExpExecArray)[1] as string;
}

/** The first match of `pattern` in what `child` prints (stdout or stderr), within 30 s. */
function printed(child: ChildProcess, pattern: RegExp, what: string): Promise<string> {
  return new Promise((resolve, reject) => {
    let output = "";
    const timer = setTimeout(() => reject(new Error(`${what} did not start:\n${output}`)), 30_000);
    const read = (chunk: Buffer) => {
      output += chunk.toString();
      const match = pattern.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve(match[0]);
      }
    };
    child.stdout?.on("data", read);
    child.stderr?.on("data", read);
    child.on("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`${what} exited (${code}):\n${output}`));
    });
  });
}

/**
 * Licences that allow the package, and so its dependencies, to be redistributed: permissive ones only (no
 * copyleft a consumer would have to think about). A dependency under another one fails the check, so a new
 * one is looked at before it ships.
 */
const ALLOWED_LICENCES = new Set([
  "MIT",
  "ISC",
  "Apache-2.0",
  "BSD-2-Clause",
  "BSD-3-Clause",
  "0BSD",
  "BlueOak-1.0.0",
  "Python-2.0",
  "CC0-1.0",
  "Unlicense",
]);

/** An SPDX expression that allows redistribution: one of its OR alternatives all of whose AND parts do. */
function allowsRedistribution(expression: string): boolean {
  return expression
    .replace(/[()]/g, "")
    .split(/\s+OR\s+/)
    .some((alternative) => alternative.split(/\s+AND\s+/).every((id) => ALLOWED_LICENCES.has(id.trim())));
}

interface InstalledPackage {
  name: string;
  version: string;
  license: string;
}

/**
 * Every package installed for the dependencies of the package in `folder`, and theirs (optional ones when
 * installed), found as Node finds them: in `node_modules` of the folder, then of each folder above, up to `top`.
 */
async function dependencyTree(folder: string, top: string): Promise<InstalledPackage[]> {
  const found = new Map<string, InstalledPackage>();
  const visit = async (from: string) => {
    const manifest = JSON.parse(await readFile(join(from, "package.json"), "utf8")) as {
      dependencies?: Record<string, string>;
      optionalDependencies?: Record<string, string>;
    };
    for (const name of Object.keys({ ...manifest.dependencies, ...manifest.optionalDependencies })) {
      const at = locate(from, name, top);
      if (at === undefined || found.has(at)) continue;
      const pkg = JSON.parse(await readFile(join(at, "package.json"), "utf8")) as {
        version: string;
        license?: string | { type: string };
        licenses?: { type: string }[];
      };
      const license =
        typeof pkg.license === "string"
          ? pkg.license
          : (pkg.license?.type ?? pkg.licenses?.map((l) => l.type).join(" OR ") ?? "(none)");
      found.set(at, { name, version: pkg.version, license });
      await visit(at);
    }
  };
  await visit(folder);
  // One line per name and version, however many copies of it were installed.
  const unique = new Map([...found.values()].map((p) => [`${p.name}@${p.version}`, p]));
  return [...unique.values()].sort((a, b) => a.name.localeCompare(b.name) || a.version.localeCompare(b.version));
}

function locate(from: string, name: string, top: string): string | undefined {
  for (let folder = from; ; folder = dirname(folder)) {
    const candidate = join(folder, "node_modules", name);
    if (existsSync(join(candidate, "package.json"))) return candidate;
    if (folder === top || dirname(folder) === folder) return undefined;
  }
}
