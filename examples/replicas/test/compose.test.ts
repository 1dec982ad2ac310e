/**
 * The replicas recipe holds together as written: every replica in compose.yaml runs the kit's bin with
 * flags the mock's command line accepts, all on the compose file's Redis and one prefix, listening where
 * nginx.conf sends the traffic; and nginx balances over exactly those replicas. (Running the containers
 * needs Docker and the images; the replicas themselves are tested in mock-server/replication/.)
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { parseCli } from "../../../mock-server/cli/flags.ts";
import { root } from "../../../scripts/generate-lib.ts";

interface Service {
  image: string;
  command?: string | string[];
  ports?: string[];
  volumes?: string[];
}

const folder = join(root, "examples/replicas");
const compose = parse(readFileSync(join(folder, "compose.yaml"), "utf8"), { merge: true }) as {
  services: Record<string, Service>;
};
const nginx = readFileSync(join(folder, "nginx.conf"), "utf8");
const BIN = "npx --yes --package converseiq-kit converseiq-mock";

const replicas = Object.entries(compose.services).filter(
  ([, s]) => typeof s.command === "string" && s.command.startsWith(BIN),
);

/** The mock's flags of a replica's command, as its command line reads them. */
function configOf(service: Service) {
  const argv = String(service.command).slice(BIN.length).trim().split(/\s+/);
  const request = parseCli(argv);
  if (request.help) throw new Error("a replica's command asks for --help");
  return request.config;
}

describe("examples/replicas", () => {
  it("runs three replicas of the kit's bin on node:20, all on the compose file's Redis 7 under one prefix", () => {
    expect(replicas.map(([name]) => name)).toEqual(["replica-a", "replica-b", "replica-c"]);
    expect(compose.services.redis?.image).toBe("redis:7");
    for (const [name, service] of replicas) {
      expect(service.image, name).toBe("node:20");
      const config = configOf(service);
      expect(config.host, name).toBe("0.0.0.0");
      expect(config.options.redis, name).toMatchObject({ url: "redis://redis:6379", prefix: "shared-qa" });
    }
  });

  it("has nginx balance over exactly those replicas, on the port they listen on, with its config mounted", () => {
    const upstream = [...nginx.matchAll(/^\s*server\s+([\w-]+):(\d+);/gm)].map((m) => `${m[1]}:${m[2]}`);
    expect(upstream).toEqual(replicas.map(([name, service]) => `${name}:${configOf(service).port}`));
    expect(nginx).toMatch(/proxy_pass http:\/\/converseiq_mock;/);
    expect(compose.services.nginx?.volumes).toContain("./nginx.conf:/etc/nginx/nginx.conf:ro");
    expect(compose.services.nginx?.ports).toEqual(["4010:4010"]);
  });
});
