import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { defaultBaselineRef, missingDependencies, NODE_HTTP_SERVER, prepareBaseline } from "../baseline.ts";
import { ROOT } from "../servers.ts";

const git = (args: string[]) => execFileSync("git", args, { cwd: ROOT, encoding: "utf8" }).trim();
// A shallow clone may not reach back to the engine's first commit.
const shallow = git(["rev-parse", "--is-shallow-repository"]) === "true";

describe("the benchmark's baseline", () => {
  it.skipIf(shallow)("is by default the last commit with the node:http server, whose child removed it", () => {
    const ref = defaultBaselineRef();
    expect(ref).toMatch(/\^$/);
    const child = ref?.slice(0, -1) ?? "";
    expect(git(["ls-tree", "--name-only", `${ref}`, "--", NODE_HTTP_SERVER])).toBe(NODE_HTTP_SERVER);
    expect(git(["ls-tree", "--name-only", child, "--", NODE_HTTP_SERVER])).toBe("");
  });

  it("refuses a reference that names no commit, naming it", async () => {
    await expect(prepareBaseline("no-such-ref-for-the-bench", () => {})).rejects.toThrow(
      "--baseline no-such-ref-for-the-bench: no such commit",
    );
  });
});

describe("a baseline's runtime dependencies against this node_modules", () => {
  const nodeModules = mkdtempSync(join(tmpdir(), "converseiq-baseline-deps-"));
  afterAll(() => rmSync(nodeModules, { recursive: true, force: true }));
  for (const [name, version] of [
    ["one", "1.2.3"],
    ["zero", "0.17.1"],
    ["@scope/pkg", "5.0.0"],
  ] as const) {
    mkdirSync(join(nodeModules, name), { recursive: true });
    writeFileSync(join(nodeModules, name, "package.json"), JSON.stringify({ name, version }));
  }

  it.each<{ wants: Record<string, string>; missing: string[] }>([
    { wants: { one: "^1.0.0" }, missing: [] },
    { wants: { one: "~1.2" }, missing: [] },
    { wants: { "@scope/pkg": "^5.0.0" }, missing: [] },
    { wants: { zero: "^0.17.0" }, missing: [] },
    { wants: { one: "^2.0.0" }, missing: ["one ^2.0.0 is installed at 1.2.3"] },
    { wants: { zero: "^0.16.0" }, missing: ["zero ^0.16.0 is installed at 0.17.1"] },
    { wants: { gone: "^3.1.0" }, missing: ["gone ^3.1.0 is not installed"] },
  ])("wanting $wants, finds missing: $missing", ({ wants, missing }) => {
    expect(missingDependencies({ dependencies: wants }, nodeModules)).toEqual(missing);
  });
});
