/**
 * The vendor's documentation (the API reference, the webhook page) is not part of the repository: CI keeps
 * it beside the clone, in `../shared/`. The tests that read it call `readVendorDoc`, which finds it there
 * (or in the folder `CONVERSEIQ_VENDOR_DOCS` names) and, when it is absent, says so in one loud line so the
 * tests can skip instead of failing. What those tests hold that can be said without the text is held again
 * by `spec-operations.test.ts`, which needs nothing outside the repository.
 */
import { existsSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

export const VENDOR_DOCS_ENV = "CONVERSEIQ_VENDOR_DOCS";

export type VendorDoc = { found: true; path: string; text: string } | { found: false; path: string };

/** The folder of the vendor's documents: `$CONVERSEIQ_VENDOR_DOCS`, else `shared/` beside the repository. */
export function vendorDocsDir(env: NodeJS.ProcessEnv = process.env): string {
  const given = env[VENDOR_DOCS_ENV];
  return given ? resolve(given) : fileURLToPath(new URL("../../shared/", import.meta.url));
}

/** One of the vendor's documents, or, with a warning naming it, the path where it was looked for. */
export function readVendorDoc(
  file: string,
  dir: string = vendorDocsDir(),
  warn: (line: string) => void = console.warn,
): VendorDoc {
  const path = join(dir, file);
  if (!existsSync(path)) {
    warn(
      `⚠ SKIPPING the tests against the vendor's ${file}: ${path} does not exist (it lives beside the repository in CI; set ${VENDOR_DOCS_ENV} to the folder that holds it).`,
    );
    return { found: false, path };
  }
  return { found: true, path, text: readFileSync(path, "utf8") };
}

/** A test title that says why it is skipped when the document is missing. */
export const titled = (title: string, doc: VendorDoc): string =>
  doc.found ? title : `${title} [SKIPPED: ${doc.path} is missing]`;
