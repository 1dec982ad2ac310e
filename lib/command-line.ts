/**
 * How the package's commands (`converseiq-mock`, `converseiq-mock proxy`, `converseiq-contract`) read their
 * command lines: node:util `parseArgs`, with what it leaves out for a command line people type.
 *
 * - A value that starts with a dash is the flag's value (`--port -1`, `--seed -3`), so that it is judged
 *   like any other value ("expected a number from 0 to 65535, got -1"), not refused as "ambiguous".
 * - A flag followed by another flag, or by nothing, says so by name: `--seed needs a value`.
 * - parseArgs' other refusals are said in a line: `unknown flag --colour`.
 *
 * And `packageVersion()`, what every command prints for `--version`.
 */
import { existsSync, readFileSync } from "node:fs";
import { type ParseArgsConfig, parseArgs } from "node:util";

/** A command line that cannot be read; each command prints it in its own way and exits 2. */
export class CommandLineError extends Error {
  override name = "CommandLineError";
}

type Options = NonNullable<ParseArgsConfig["options"]>;
type Parsed<T extends Options> = ReturnType<
  typeof parseArgs<{ args: string[]; options: T; strict: true; allowPositionals: false }>
>;

/** Reads `args` against `options` (flags only, no positionals); throws a CommandLineError naming the flag. */
export function readCommandLine<const T extends Options>(args: string[], options: T): Parsed<T> {
  const joined = joinDashedValues(args, options);
  try {
    return parseArgs({ args: joined, options, strict: true, allowPositionals: false });
  } catch (error) {
    throw new CommandLineError(plainMessage(error as Error & { code?: string }));
  }
}

/** A flag, as opposed to a value: `--name`, `--name=x`, `--`, or a dash and one letter (`-h`). */
const isFlag = (arg: string) => arg.startsWith("--") || /^-[A-Za-z]$/.test(arg);

/**
 * Each `--name VALUE` of a flag that takes a value, where VALUE starts with a dash but is no flag, as
 * `--name=VALUE` (which parseArgs takes); a flag that takes a value but is given none is refused here.
 */
function joinDashedValues(args: string[], options: Options): string[] {
  const out: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] as string;
    if (arg === "--") return [...out, ...args.slice(i)];
    const name = arg.startsWith("--") && !arg.includes("=") ? arg.slice(2) : undefined;
    if (name === undefined || options[name]?.type !== "string") {
      out.push(arg);
      continue;
    }
    const next = args[i + 1];
    if (next === undefined || isFlag(next)) throw new CommandLineError(`--${name} needs a value`);
    out.push(`--${name}=${next}`);
    i++;
  }
  return out;
}

/** parseArgs' message, as one line that names the argument. */
function plainMessage(error: Error & { code?: string }): string {
  const quoted = /'([^']*)'/.exec(error.message)?.[1] ?? "";
  switch (error.code) {
    case "ERR_PARSE_ARGS_UNKNOWN_OPTION":
      return `unknown flag ${quoted}`;
    case "ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL":
      return `unexpected argument ${quoted}: this command takes flags only`;
    case "ERR_PARSE_ARGS_INVALID_OPTION_VALUE":
      return error.message.includes("does not take an argument") ? `${quoted} takes no value` : error.message;
    default:
      return error.message;
  }
}

/**
 * The version of this package (its package.json's), found by walking up from this module: the same from the
 * sources, the compiled dist/ and the mock's bundle.
 */
export function packageVersion(from: string = import.meta.url): string {
  let folder = new URL(".", from);
  for (;;) {
    const file = new URL("package.json", folder);
    if (existsSync(file)) {
      const manifest = JSON.parse(readFileSync(file, "utf8")) as { name?: string; version?: string };
      if (manifest.name === "converseiq-kit" && manifest.version) return manifest.version;
    }
    const parent = new URL("..", folder);
    if (parent.href === folder.href) return "unknown";
    folder = parent;
  }
}
