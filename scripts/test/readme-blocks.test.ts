/** How the package test reads the README's `ts` blocks (scripts/package/readme-blocks.ts). */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { readmeBlocks } from "../package/readme-blocks.ts";

describe("readmeBlocks", () => {
  it("takes each ts block with its line, and the reason of a not-run comment before it", () => {
    const markdown = [
      "Intro",
      "```ts",
      "const a = 1;",
      "```",
      "",
      "<!-- not run: needs a browser -->",
      "",
      "```ts",
      "const b = 2;",
      "```",
      "```sh",
      "echo not taken",
      "```",
      "```ts",
      "const c = 3;",
      "```",
    ].join("\n");
    expect(readmeBlocks(markdown)).toEqual([
      { line: 2, code: "const a = 1;", notRun: undefined },
      { line: 8, code: "const b = 2;", notRun: "needs a browser" },
      { line: 14, code: "const c = 3;", notRun: undefined },
    ]);
  });

  it("finds blocks in the README, some of them run", () => {
    const blocks = readmeBlocks(readFileSync(new URL("../../README.md", import.meta.url), "utf8"));
    expect(blocks.length).toBeGreaterThan(3);
    expect(blocks.some((block) => block.notRun === undefined)).toBe(true);
  });
});
