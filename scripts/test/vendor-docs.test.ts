import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { readVendorDoc, titled, VENDOR_DOCS_ENV, vendorDocsDir } from "../vendor-docs.ts";

describe("the vendor's documents beside the repository", () => {
  it("are read from the folder given", () => {
    const dir = mkdtempSync(join(tmpdir(), "ciq-vendor-docs-"));
    writeFileSync(join(dir, "converseiq-api-reference.txt"), "API Reference");
    const warnings: string[] = [];
    const doc = readVendorDoc("converseiq-api-reference.txt", dir, (line) => warnings.push(line));
    expect(doc).toEqual({ found: true, path: join(dir, "converseiq-api-reference.txt"), text: "API Reference" });
    expect(warnings).toEqual([]);
    expect(titled("the spec and the reference", doc)).toBe("the spec and the reference");
  });

  it("when missing, are reported in one warning naming the file, and their tests are titled as skipped", () => {
    const dir = mkdtempSync(join(tmpdir(), "ciq-vendor-docs-"));
    const warnings: string[] = [];
    const doc = readVendorDoc("converseiq-webhooks.md", dir, (line) => warnings.push(line));
    const path = join(dir, "converseiq-webhooks.md");
    expect(doc).toEqual({ found: false, path });
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain(path);
    expect(warnings[0]).toContain(VENDOR_DOCS_ENV);
    expect(titled("the spec's webhooks", doc)).toBe(`the spec's webhooks [SKIPPED: ${path} is missing]`);
  });

  it(`are looked for in ${VENDOR_DOCS_ENV} when it is set, else in shared/ beside the repository`, () => {
    expect(vendorDocsDir({ [VENDOR_DOCS_ENV]: "/somewhere/docs" })).toBe("/somewhere/docs");
    expect(vendorDocsDir({})).toBe(join(new URL("../../..", import.meta.url).pathname, "shared/"));
  });
});
