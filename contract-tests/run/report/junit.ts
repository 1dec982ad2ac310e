/**
 * `--junit FILE`: one test case per check, grouped by suite, for CI systems that read JUnit XML. A failure
 * carries its message once (the checker's report: request, answer excerpt, rules); a check that did not
 * run is `<skipped>` with its reason. Built here rather than by vitest's junit reporter, whose file
 * repeats each failure's stack and output (over 500 KB for one broken rule).
 */
import type { CheckRecord } from "./checks.ts";

const MESSAGE = 4_000;

export function escapeXml(text: string): string {
  return (
    text
      .replace(/&/g, "&amp;")
      .replace(/</g, "&lt;")
      .replace(/>/g, "&gt;")
      .replace(/"/g, "&quot;")
      // Characters XML 1.0 does not allow, even escaped.
      // biome-ignore lint/suspicious/noControlCharactersInRegex: they are what is removed
      .replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F]/g, "")
  );
}

export function junitXml(records: readonly CheckRecord[], suites: readonly string[]): string {
  const lines = ['<?xml version="1.0" encoding="UTF-8"?>'];
  const count = (rs: readonly CheckRecord[], status: CheckRecord["status"]) =>
    rs.filter((r) => r.status === status).length;
  lines.push(
    `<testsuites name="converseiq-contract" tests="${records.length}" failures="${count(records, "fail")}" skipped="${count(records, "not run")}">`,
  );
  for (const suite of suites) {
    const rs = records.filter((r) => r.suite === suite);
    if (rs.length === 0) continue;
    lines.push(
      `  <testsuite name="${escapeXml(suite)}" tests="${rs.length}" failures="${count(rs, "fail")}" skipped="${count(rs, "not run")}">`,
    );
    for (const r of rs) {
      const open = `    <testcase classname="${escapeXml(r.operations.join(", ") || suite)}" name="${escapeXml(r.name)}"`;
      if (r.status === "pass") lines.push(`${open}/>`);
      else if (r.status === "not run")
        lines.push(`${open}>`, `      <skipped message="${escapeXml(r.reason ?? "")}"/>`, "    </testcase>");
      else {
        const message = (r.error ?? "failed").slice(0, MESSAGE);
        const first = message.split("\n")[0] ?? "";
        lines.push(
          `${open}>`,
          `      <failure message="${escapeXml(first)}">${escapeXml(message)}</failure>`,
          "    </testcase>",
        );
      }
    }
    lines.push("  </testsuite>");
  }
  lines.push("</testsuites>", "");
  return lines.join("\n");
}
