/**
 * The flags of the data: the seed and sizes, the admin API's guards (token, origins, `--admin-open`) and the
 * state file, the webhook endpoints.
 */
import { DEFAULT_SEED, type SeedSizes } from "../../store/seed.ts";
import { parseEndpoint } from "../../webhooks/filters.ts";
import { parseInteger, parseOrigin, UsageError } from "../values.ts";
import type { Flag, ValueFlag } from "./types.ts";

const sizeFlag = (key: Exclude<keyof SeedSizes, "seed">, what: string): ValueFlag => ({
  kind: "value",
  name: key,
  env: `MOCK_${key.toUpperCase()}`,
  group: "Data",
  value: "N",
  help: `How many ${what} to seed.`,
  shown: String(DEFAULT_SEED[key]),
  apply: (config, text) => {
    // Any whole number here; the spec's limits are checked once all flags are read (see parseCli).
    config.options.seed[key] = parseInteger(text, Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER);
  },
});

export const DATA_FLAGS: Flag[] = [
  {
    kind: "value",
    name: "seed",
    env: "MOCK_SEED",
    group: "Data",
    value: "N",
    help: "Seed of the generated data: the same seed gives the same data, byte for byte.",
    shown: String(DEFAULT_SEED.seed),
    apply: (config, text) => {
      config.options.seed.seed = parseInteger(text, Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER);
    },
  },
  sizeFlag("contacts", "contacts"),
  sizeFlag("chats", "chats (each with 1 to 15 messages)"),
  sizeFlag("team", "team members (the first is the owner)"),
  sizeFlag("channels", "channels (LiveChatWeb, WhatsApp, Messenger, Email, Telegram, ...)"),
  sizeFlag("bots", "bots"),
  {
    kind: "value",
    name: "admin-token",
    env: "MOCK_ADMIN_TOKEN",
    group: "Admin and state",
    value: "TOKEN",
    help: "Require this token in the x-admin-token header of every /__admin request.",
    apply: (config, text) => {
      if (text === "") throw new UsageError("the admin token must not be empty");
      config.options.adminToken = text;
    },
  },
  {
    kind: "list",
    name: "admin-cors",
    env: "MOCK_ADMIN_CORS",
    group: "Admin and state",
    value: "ORIGIN",
    help: "A web origin that may call /__admin from a browser (its CORS headers and its writes); repeat the flag or separate by commas for more. Default: none but the mock's own.",
    apply: (config, items) => {
      config.options.adminCors = items.flatMap((item) => item.split(",")).map((item) => parseOrigin(item));
    },
  },
  {
    kind: "switch",
    name: "admin-open",
    env: "MOCK_ADMIN_OPEN",
    group: "Admin and state",
    help: "Listen beyond loopback (--host) with no --admin-token on purpose: anyone who reaches the port can then reset or replace the state.",
    apply: (config, on) => {
      config.adminOpen = on;
    },
  },
  {
    kind: "value",
    name: "state",
    env: "MOCK_STATE_FILE",
    group: "Admin and state",
    value: "FILE",
    help: "Load the state from FILE if it exists; write it back after changes and on exit.",
    apply: (config, text) => {
      if (text.trim() === "") throw new UsageError("expected a file name");
      config.options.stateFile = text;
    },
  },
  {
    kind: "switch",
    name: "state-sync",
    env: "MOCK_STATE_SYNC",
    group: "Admin and state",
    help: "With --state: answer a change only once it is in FILE.log and flushed to disk (nothing answered is lost to a crash).",
    apply: (config, on) => {
      if (on) config.options.stateSync = true;
    },
  },
  {
    kind: "switch",
    name: "read-only",
    env: "MOCK_STATE_READ_ONLY",
    group: "Admin and state",
    help: "With --state: serve FILE and never write it; changes live in memory until the mock stops (replay a recording as often as you like).",
    apply: (config, on) => {
      if (on) config.options.stateReadOnly = true;
    },
  },
  {
    kind: "list",
    name: "webhook",
    env: "MOCK_WEBHOOK",
    group: "Webhooks",
    value: "URL[#EVENTS]",
    help: "POST every event (or only EVENTS: names, prefixes like chat.*, separated by commas) to URL; repeat the flag for more endpoints (separate them by spaces in the variable).",
    // Commas separate the events of one endpoint, so the variable separates endpoints by spaces.
    split: (text) => text.split(/\s+/).filter((part) => part !== ""),
    apply: (config, items) => {
      const endpoints = items.map((item) => {
        try {
          return parseEndpoint(item);
        } catch (error) {
          throw new UsageError((error as Error).message);
        }
      });
      config.options.webhooks = { ...config.options.webhooks, endpoints };
    },
  },
];
