/**
 * Debian's Chromium for the browser tests (the /docs page, the MSW worker), driven by playwright-core,
 * which downloads no browser: where it is, the flags it starts with, and the loud skip where it is not.
 */
import { existsSync } from "node:fs";

export const CHROMIUM = "/usr/bin/chromium";

/** Headless, as root, and quiet: without the background-networking flags Chromium calls out to Google. */
export const CHROMIUM_FLAGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-background-networking",
  "--disable-component-update",
  "--no-first-run",
];

/** Whether Chromium is missing; when it is, one warning naming what `what` skips and how to install it. */
export function chromiumMissing(what: string): boolean {
  const missing = !existsSync(CHROMIUM);
  if (missing) {
    console.warn(
      `\n!!! SKIPPING the browser test of ${what}: ${CHROMIUM} not found.\n` +
        "!!! Install Debian's Chromium (apt-get install -y chromium), as bash .ci/run does.\n",
    );
  }
  return missing;
}
