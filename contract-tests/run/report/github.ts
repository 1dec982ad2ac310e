/**
 * `--reporter github`: one GitHub Actions error annotation per distinct failure (workflow commands,
 * `::error title=…::message`, escaped as the Actions toolkit escapes them), and a Markdown job summary
 * (the table and the failures) appended to the file `$GITHUB_STEP_SUMMARY` names, when it is set.
 */
import { appendFileSync } from "node:fs";
import { type CheckRecord, countChecks, distinctFailures } from "./checks.ts";
import { notRunReasons, summaryTable } from "./text.ts";

/** A command's message: `%`, CR and LF escaped (as @actions/core's escapeData). */
export const escapeData = (text: string) => text.replace(/%/g, "%25").replace(/\r/g, "%0D").replace(/\n/g, "%0A");
/** A command's property value: also `:` and `,` (as @actions/core's escapeProperty). */
export const escapeProperty = (text: string) => escapeData(text).replace(/:/g, "%3A").replace(/,/g, "%2C");

/** The annotation of a run that could not be made (the preflight's line), so that it shows in the job, not only in its log. */
export const couldNotRunAnnotation = (message: string) =>
  `::error title=${escapeProperty("converseiq-contract could not run")}::${escapeData(message)}`;

export function githubAnnotations(records: readonly CheckRecord[]): string[] {
  return distinctFailures(records).map((failure) => {
    const title = `${failure.operation}: ${failure.rule}`.slice(0, 200);
    const shown = failure.checks.slice(0, SHOWN_CHECKS);
    const more = failure.checks.length - shown.length;
    const body = [
      failure.request ? `request: ${failure.request}` : undefined,
      failure.response ? `answer: ${cut(failure.response)}` : undefined,
      failure.request ? undefined : cut(failure.message),
      `${failure.count} failing ${failure.count === 1 ? "check" : "checks"}:`,
      ...shown.map((name) => `- ${name}`),
      more > 0 ? `… and ${more} more` : undefined,
    ].filter((l): l is string => l !== undefined);
    return `::error title=${escapeProperty(title)}::${escapeData(body.join("\n"))}`;
  });
}

const SHOWN_CHECKS = 6;
const cut = (text: string, most = 400) => (text.length > most ? `${text.slice(0, most)}…` : text);
const md = (text: string) => text.replace(/\|/g, "\\|").replace(/\n/g, " ");

/** `title`: what the checks are (the replay's are its requests). */
export function markdownSummary(
  records: readonly CheckRecord[],
  suites: readonly string[],
  target: string,
  title = "Contract checks",
): string {
  const counts = countChecks(records);
  const { rows, cells } = summaryTable(records, suites);
  const symbol = { pass: "✅", FAIL: "❌ FAIL", "–": "–" } as const;
  const lines = [
    `### ${md(title)} against ${md(target)}`,
    "",
    `${counts.passed} pass, ${counts.failed} fail, ${counts.notRun} not run`,
    "",
    `| operation | ${suites.join(" | ")} |`,
    `| --- | ${suites.map(() => "---").join(" | ")} |`,
    ...rows.map((row) => `| ${md(row)} | ${suites.map((s) => symbol[cells.get(row)?.get(s) ?? "–"]).join(" | ")} |`),
  ];
  const failures = distinctFailures(records);
  if (failures.length > 0) {
    lines.push("", "#### Failures", "");
    for (const failure of failures) {
      lines.push(`- **${md(failure.operation)}**: ${md(failure.rule)} (${failure.count})`);
      const example = [
        failure.request && `request:  ${failure.request}`,
        failure.response && `answer:   ${failure.response}`,
      ]
        .filter(Boolean)
        .join("\n");
      lines.push("", "  ```", ...(example || failure.message).split("\n").map((l) => `  ${l}`), "  ```");
    }
  }
  const reasons = notRunReasons(records);
  if (reasons.length > 0) {
    lines.push("", "#### Not run", "", ...reasons.map(([reason, count]) => `- ${count} × ${md(reason)}`));
  }
  return `${lines.join("\n")}\n`;
}

/** Prints the annotations and appends the job summary when `GITHUB_STEP_SUMMARY` is set. */
export function reportToGithub(
  records: readonly CheckRecord[],
  suites: readonly string[],
  target: string,
  env: NodeJS.ProcessEnv = process.env,
  print: (line: string) => void = console.log,
  title?: string,
): void {
  for (const line of githubAnnotations(records)) print(line);
  const file = env.GITHUB_STEP_SUMMARY;
  if (file) appendFileSync(file, markdownSummary(records, suites, target, title));
}
