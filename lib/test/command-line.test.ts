/** The command lines of every bin, read alike (command-line.ts): dash-led values, missing values, one-line refusals. */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { CommandLineError, packageVersion, readCommandLine } from "../command-line.ts";

const OPTIONS = {
  port: { type: "string" },
  key: { type: "string", multiple: true },
  quiet: { type: "boolean" },
  help: { type: "boolean", short: "h" },
} as const;

const refusal = (args: string[]) => {
  try {
    readCommandLine(args, OPTIONS);
  } catch (error) {
    if (error instanceof CommandLineError) return error.message;
    throw error;
  }
  throw new Error(`no refusal for ${args.join(" ")}`);
};

describe("reading a command line", () => {
  it.each([
    [["--port", "-1"], { port: "-1" }],
    [["--port=-1"], { port: "-1" }],
    [["--port", "-0.5", "--quiet"], { port: "-0.5", quiet: true }],
    [["--key", "-k1", "--key", "k2"], { key: ["-k1", "k2"] }],
    [["--port", "4010", "-h"], { port: "4010", help: true }],
  ])("reads %j as %j", (args, values) => {
    expect({ ...readCommandLine(args, OPTIONS).values }).toEqual(values);
  });

  it.each([
    [["--port"], "--port needs a value"],
    [["--port", "--quiet"], "--port needs a value"],
    [["--port", "-h"], "--port needs a value"],
    [["--port", "--"], "--port needs a value"],
    [["--colour"], "unknown flag --colour"],
    [["serve"], "unexpected argument serve: this command takes flags only"],
    [["--quiet=1"], "--quiet takes no value"],
  ])("refuses %j: %s", (args, message) => {
    expect(refusal(args)).toBe(message);
  });

  it("finds the version in the package's own package.json", () => {
    const { version } = JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8"));
    expect(packageVersion()).toBe(version);
  });
});
