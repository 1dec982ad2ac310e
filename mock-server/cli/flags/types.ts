/** The shape of the CLI's flags (cli/flags.ts holds the one table made of them) and of what they build. */
import type { CoverageRequirement } from "../../engine/coverage.ts";
import type { MockOptions } from "../../mock-options.ts";
import type { SeedSizes } from "../../store/seed.ts";
import type { LogFormat } from "../../transports/request-log.ts";

/**
 * What the CLI was asked for: where to listen, whether and how to log, what to print when it stops, and the
 * server's options.
 */
export interface CliConfig {
  port: number;
  host: string;
  quiet: boolean;
  /** Listen beyond loopback with no admin token, on purpose (`--admin-open`): the banner then warns. */
  adminOpen: boolean;
  /** Print the coverage table when stopped (`--coverage`, or implied by `--coverage-require`). */
  coverage: boolean;
  /** Statuses that must have been answered by the time it stops, else it exits 1 (`--coverage-require`). */
  coverageRequire: CoverageRequirement[];
  /** Where to write the journal file when stopped (`--journal-out`). */
  journalOut?: string;
  options: Partial<MockOptions> & { seed: SeedSizes; logFormat?: LogFormat };
}

/** `help`: nothing to serve, only text to print: the usage, or with `version` the package's version. */
export type CliRequest = { help: true; version?: true } | { help: false; config: CliConfig };

export type Group = "Server" | "Data" | "Admin and state" | "Replicas" | "Webhooks" | "Behaviour switches" | "Output";

interface Common {
  name: string;
  env: string;
  group: Group;
  help: string;
  /** The default as the usage text shows it, when there is one worth showing. */
  shown?: string;
}
/** A flag that takes a value (`--port 4010`). */
export interface ValueFlag extends Common {
  kind: "value";
  /** The value's placeholder in the usage text. */
  value: string;
  apply: (config: CliConfig, text: string) => void;
}
/** A flag that may be repeated; its environment variable holds the values separated by commas. */
export interface ListFlag extends Common {
  kind: "list";
  value: string;
  apply: (config: CliConfig, items: string[]) => void;
  /** How the environment variable is split into values, when not by commas. */
  split?: (text: string) => string[];
}
/** A flag that takes no value (`--quiet`); its environment variable is 1/true or 0/false. */
export interface SwitchFlag extends Common {
  kind: "switch";
  apply: (config: CliConfig, on: boolean) => void;
}
export type Flag = ValueFlag | ListFlag | SwitchFlag;
