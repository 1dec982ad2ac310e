/** A loopback port nothing listens on, for the tests of a target that cannot be reached. */
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";

/** One that was free a moment ago, closed again (port 1 would not do: fetch refuses it as a "bad port"). */
export async function deadPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}
