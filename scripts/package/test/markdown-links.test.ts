/**
 * The link check of the installed README (markdown-links.ts): GitHub's anchors for headings, the links it
 * finds and the ones it leaves alone, and what it says of each broken link.
 */
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { brokenLinks, githubSlug, headingAnchors, relativeLinks } from "../markdown-links.ts";

describe("githubSlug", () => {
  it.each([
    ["Install", "install"],
    ["First use", "first-use"],
    ["Several replicas behind a load balancer", "several-replicas-behind-a-load-balancer"],
    [
      "From the installed package: `converseiq-contract` and `runContract`",
      "from-the-installed-package-converseiq-contract-and-runcontract",
    ],
    ["Admin API (`/__admin`)", "admin-api-__admin"],
    ["State file (`--state FILE`)", "state-file---state-file"],
    ["Behaviour switches (Prefer, faults, CORS)", "behaviour-switches-prefer-faults-cors"],
    ["`Prefer` header, per request (Prism-compatible)", "prefer-header-per-request-prism-compatible"],
    ["Dependencies, and why each", "dependencies-and-why-each"],
    ["See [the spec](openapi/README.md)", "see-the-spec"],
  ])("%s -> #%s", (heading, slug) => {
    expect(githubSlug(heading)).toBe(slug);
  });

  it("numbers a repeated heading as GitHub does, and skips headings in code blocks", () => {
    const anchors = headingAnchors(
      "# A\n## Usage\n```sh\n# not a heading\n```\n## Usage\n### Admin API (`/__admin`)\n",
    );
    expect([...anchors]).toEqual(["a", "usage", "usage-1", "admin-api-__admin"]);
  });
});

describe("relativeLinks", () => {
  it("finds links and images to paths and fragments, and leaves URLs and code alone", () => {
    const markdown = [
      "See [the mock](mock-server/README.md#command-line) and ![a figure](docs/figure.png).",
      "[Up](#install), [the site](https://example.com/x.md), [mail](mailto:a@b.c), `[code](nowhere.md)`",
      "```md",
      "[in a fence](nowhere.md)",
      "```",
    ].join("\n");
    expect(relativeLinks(markdown)).toEqual([
      { target: "mock-server/README.md#command-line", path: "mock-server/README.md", fragment: "command-line" },
      { target: "docs/figure.png", path: "docs/figure.png", fragment: undefined },
      { target: "#install", path: "", fragment: "install" },
    ]);
  });
});

describe("brokenLinks, in a package folder", () => {
  let root: string;

  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), "converseiq-links-"));
    await mkdir(join(root, "docs"));
    await writeFile(join(root, "docs", "page.md"), "# Page\n\n## Consistency\n\n[Back](../README.md#install)\n");
    await writeFile(join(root, "recipe.yml"), "on: push\n");
  });

  afterAll(async () => {
    await rm(root, { recursive: true, force: true });
  });

  it("finds nothing wrong when every file and heading is there", async () => {
    await writeFile(
      join(root, "README.md"),
      "# Kit\n\n## Install\n\n[page](docs/page.md#consistency) [folder](docs/) [recipe](recipe.yml) [up](#install)\n",
    );
    expect(brokenLinks(join(root, "README.md"), root)).toEqual([]);
    expect(brokenLinks(join(root, "docs", "page.md"), root)).toEqual([]);
  });

  it("names each missing file, missing heading and link out of the package", async () => {
    await writeFile(
      join(root, "README.md"),
      "# Kit\n\n[a](docs/gone.md) [b](docs/page.md#nope) [c](#nowhere) [d](../outside.md) [e](recipe.yml#L1)\n",
    );
    expect(brokenLinks(join(root, "README.md"), root)).toEqual([
      "README.md: docs/gone.md: there is no docs/gone.md",
      "README.md: docs/page.md#nope: docs/page.md has no heading whose anchor is #nope",
      "README.md: #nowhere: README.md has no heading whose anchor is #nowhere",
      "README.md: ../outside.md points outside the package",
    ]);
  });
});
