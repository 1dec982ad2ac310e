/**
 * A loopback port nothing listens on, for the tests of a target that cannot be reached.
 *
 * Not a port that was free a moment ago and closed again: on a busy machine another test's server can be
 * given it in between. The port is the local end of a connection this module opens and keeps: a
 * connection to it is refused (nothing listens there), and while the connection stays open no `listen`
 * on port 0 can be handed it. Port 1 would not do either: fetch refuses it as a "bad port".
 */
import { once } from "node:events";
import { type AddressInfo, connect, createServer } from "node:net";

export async function deadPort(): Promise<number> {
  const server = createServer((accepted) => accepted.unref());
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  const held = connect((server.address() as AddressInfo).port, "127.0.0.1");
  await once(held, "connect");
  // Kept open for the rest of the test process, without keeping it alive.
  server.unref();
  held.unref();
  return held.localPort as number;
}
