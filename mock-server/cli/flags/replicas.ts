/** The flags of replicas sharing one state through Redis (mock-server/replication/). */
import {
  CONSISTENCIES,
  type Consistency,
  DEFAULT_REDIS_PREFIX,
  DEFAULT_SNAPSHOT_EVERY,
  type RedisOptions,
} from "../../replication/redis-options.ts";
import { parseInteger, UsageError } from "../values.ts";
import type { CliConfig, Flag } from "./types.ts";

/** The Redis options being read; the URL is checked to be there once all flags are read (see parseCli). */
function redisOf(config: CliConfig): Partial<RedisOptions> {
  config.options.redis ??= { url: "" };
  return config.options.redis;
}

/** The flags that only mean something with --redis. */
export const NEEDS_REDIS = ["redis-prefix", "consistency", "snapshot-every"];

export const REPLICA_FLAGS: Flag[] = [
  {
    kind: "value",
    name: "redis",
    env: "MOCK_REDIS",
    group: "Replicas",
    value: "URL",
    help: "Share the state with every mock started with the same Redis (redis://HOST:PORT[/DB]) and prefix: run replicas behind a load balancer.",
    apply: (config, text) => {
      if (!/^rediss?:\/\/[^/]/.test(text.trim())) throw new UsageError("expected redis://HOST:PORT[/DB]");
      redisOf(config).url = text.trim();
    },
  },
  {
    kind: "value",
    name: "redis-prefix",
    env: "MOCK_REDIS_PREFIX",
    group: "Replicas",
    value: "NAME",
    help: "The prefix of the mock's Redis keys: replicas with the same prefix share one state.",
    shown: DEFAULT_REDIS_PREFIX,
    apply: (config, text) => {
      if (text.trim() === "") throw new UsageError("the prefix must not be empty");
      redisOf(config).prefix = text.trim();
    },
  },
  {
    kind: "value",
    name: "consistency",
    env: "MOCK_CONSISTENCY",
    group: "Replicas",
    value: "MODE",
    help: "strong: a read first catches up with every replica's changes (one round trip to Redis); eventual: reads what this replica has applied, which may lag by the changes in flight.",
    shown: "strong",
    apply: (config, text) => {
      if (!CONSISTENCIES.includes(text as Consistency)) throw new UsageError(`expected ${CONSISTENCIES.join(" or ")}`);
      redisOf(config).consistency = text as Consistency;
    },
  },
  {
    kind: "value",
    name: "snapshot-every",
    env: "MOCK_SNAPSHOT_EVERY",
    group: "Replicas",
    value: "N",
    help: "Write the whole state to Redis every N changes and trim the log behind it.",
    shown: String(DEFAULT_SNAPSHOT_EVERY),
    apply: (config, text) => {
      redisOf(config).snapshotEvery = parseInteger(text, 1, 1_000_000_000);
    },
  },
];
