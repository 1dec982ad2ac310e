/**
 * `converseiq-kit/fastify`: the mock as a Fastify plugin, for a consumer's own Fastify server. It takes the
 * options `startMock` takes (`MockOptions`) and answers every request under the prefix it is registered
 * with, as the mock's own server answers the same path without it:
 *
 * ```ts
 * import Fastify from "fastify";
 * import { converseiqMock } from "converseiq-kit/fastify";
 *
 * const app = Fastify();
 * await app.register(converseiqMock, { prefix: "/converseiq", seed: { seed: 7 } });
 * // GET /converseiq/public/v1/contact is the mock's GET /public/v1/contact; /converseiq/__admin/... its admin API
 * ```
 *
 * The app's `close()` writes the state file (if any) and stops the webhook deliveries and the replica.
 * Requests the consumer's server refuses before routing (a head over 16 KiB, bad HTTP) get that server's
 * answers, not the mock's: those are settings of a server, not of a plugin (the mock's own server sets
 * them in transports/fastify-server.ts).
 */
import type { FastifyInstance, FastifyPluginOptions } from "fastify";
import { createMockCore } from "./mock-core.ts";
import type { MockOptionsInput } from "./mock-options.ts";
import { enginePlugin } from "./transports/fastify-plugin.ts";

/** The options `startMock` takes (the CLI's), beside Fastify's own register options (`prefix`). */
export interface ConverseIQMockOptions extends MockOptionsInput, FastifyPluginOptions {}

/** Registers the mock (its engine, webhooks, state file, replica) in `instance`, under its prefix. */
export async function converseiqMock(instance: FastifyInstance, options: ConverseIQMockOptions): Promise<void> {
  // Fastify's own register options are not the mock's.
  const { prefix: _prefix, logLevel: _logLevel, logSerializers: _serializers, ...mockOptions } = options;
  const core = await createMockCore(mockOptions);
  instance.addHook("onClose", () => core.shutdown());
  await instance.register(enginePlugin, {
    api: core.api,
    bodyTimeoutMs: core.options.bodyTimeoutMs,
    bodyTotalTimeoutMs: core.options.bodyTotalTimeoutMs,
  });
}

export default converseiqMock;
