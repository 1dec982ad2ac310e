/** The flags of the server: where it listens, the keys it accepts, how long a body may stall. */
import {
  DEFAULT_API_KEY,
  DEFAULT_BODY_TIMEOUT_MS,
  DEFAULT_BODY_TOTAL_TIMEOUT_MS,
  MAX_BODY_TIMEOUT_MS,
} from "../../mock-options.ts";
import { parseInteger, UsageError } from "../values.ts";
import type { Flag } from "./types.ts";

export const DEFAULT_PORT = 4010;
export const DEFAULT_HOST = "127.0.0.1";

export const SERVER_FLAGS: Flag[] = [
  {
    kind: "value",
    name: "port",
    env: "MOCK_PORT",
    group: "Server",
    value: "N",
    help: "Port to listen on (0 picks a free one; the first line printed says which).",
    shown: String(DEFAULT_PORT),
    apply: (config, text) => {
      config.port = parseInteger(text, 0, 65535);
    },
  },
  {
    kind: "value",
    name: "host",
    env: "MOCK_HOST",
    group: "Server",
    value: "HOST",
    help: "Address to listen on (0.0.0.0 for every interface).",
    shown: DEFAULT_HOST,
    apply: (config, text) => {
      if (text.trim() === "") throw new UsageError("expected a host name or address");
      config.host = text.trim();
    },
  },
  {
    kind: "list",
    name: "allowed-hosts",
    env: "MOCK_ALLOWED_HOSTS",
    group: "Server",
    value: "HOST",
    help: "A host name answered in the Host header beside localhost, IP addresses and --host (.example.com: it and its subdomains; all: any); any other Host gets 403, against DNS rebinding. Repeat or separate by commas.",
    apply: (config, items) => {
      const hosts = items.flatMap((item) => item.split(",")).map((item) => item.trim().toLowerCase());
      if (hosts.some((host) => host === "")) throw new UsageError("a host must not be empty");
      config.options.allowedHosts = hosts.includes("all") ? "all" : hosts;
    },
  },
  {
    kind: "list",
    name: "api-key",
    env: "MOCK_API_KEY",
    group: "Server",
    value: "KEY",
    help: "An API key accepted in x-api-key; repeat the flag (or separate by commas in the variable) for more.",
    shown: DEFAULT_API_KEY,
    apply: (config, items) => {
      if (items.some((key) => key.trim() === "" || key !== key.trim())) {
        throw new UsageError("an API key must not be empty or start or end with spaces");
      }
      config.options.apiKeys = items;
    },
  },
  {
    kind: "value",
    name: "body-timeout",
    env: "MOCK_BODY_TIMEOUT",
    group: "Server",
    value: "MS",
    help: "When a request body stops arriving for this long, answer 408 and close the connection.",
    shown: String(DEFAULT_BODY_TIMEOUT_MS),
    apply: (config, text) => {
      config.options.bodyTimeoutMs = parseInteger(text, 1, MAX_BODY_TIMEOUT_MS);
    },
  },
  {
    kind: "value",
    name: "body-total-timeout",
    env: "MOCK_BODY_TOTAL_TIMEOUT",
    group: "Server",
    value: "MS",
    help: "When a whole request body has not come within this long, answer 408 and close the connection.",
    shown: String(DEFAULT_BODY_TOTAL_TIMEOUT_MS),
    apply: (config, text) => {
      config.options.bodyTotalTimeoutMs = parseInteger(text, 1, MAX_BODY_TIMEOUT_MS);
    },
  },
];
