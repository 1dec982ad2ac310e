/** The `x-api-key` check lives in the engine (engine/stages/auth.ts); kept reachable here for the Fastify app. */
export { createKeyCheck } from "../engine/stages/auth.ts";
