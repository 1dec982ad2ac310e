/**
 * `npm run contract:live` (live.ts) reads the names every command of the kit reads: the key from
 * `CONVERSEIQ_API_KEY`, the URL from `CONVERSEIQ_BASE_URL`; a bad URL is named by its variable, and a
 * target that cannot be reached stops the run with the preflight's one line, exit 2.
 */
import { spawn } from "node:child_process";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { describe, expect, it } from "vitest";

const ROOT = new URL("../../../", import.meta.url).pathname;

/** Runs live.ts in a child process with only these of the kit's variables. */
function live(variables: Record<string, string>): Promise<{ code: number | null; output: string }> {
  const env = Object.fromEntries(
    Object.entries(process.env).filter(
      ([name]) => !name.startsWith("VITEST") && !name.startsWith("CONTRACT_") && !name.startsWith("CONVERSEIQ_"),
    ),
  );
  return new Promise((resolve) => {
    const child = spawn(`${ROOT}node_modules/.bin/tsx`, ["contract-tests/run/live.ts"], {
      cwd: ROOT,
      env: { ...env, ...variables, NO_COLOR: "1" },
    });
    let output = "";
    child.stdout.on("data", (chunk) => (output += chunk));
    child.stderr.on("data", (chunk) => (output += chunk));
    child.on("exit", (code) => resolve({ code, output }));
  });
}

describe("npm run contract:live", { timeout: 60_000 }, () => {
  it("stops at once without CONVERSEIQ_API_KEY", async () => {
    const { code, output } = await live({});
    expect(code).toBe(2);
    expect(output).toContain("CONVERSEIQ_API_KEY");
  });

  it("names CONVERSEIQ_BASE_URL when it is not a URL", async () => {
    const { code, output } = await live({ CONVERSEIQ_API_KEY: "k", CONVERSEIQ_BASE_URL: "notaurl" });
    expect(code).toBe(2);
    expect(output).toContain("CONVERSEIQ_BASE_URL is not a URL: notaurl");
  });

  it("goes to CONVERSEIQ_BASE_URL, and stops with the preflight's line when nothing answers there", async () => {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const { port } = server.address() as AddressInfo;
    await new Promise<void>((resolve) => server.close(() => resolve()));
    const url = `http://127.0.0.1:${port}/public/v1`;
    const { code, output } = await live({ CONVERSEIQ_API_KEY: "k", CONVERSEIQ_BASE_URL: url });
    expect(code).toBe(2);
    expect(output).toContain(`contract:live: Cannot reach ${url} (connection refused)`);
  });
});
