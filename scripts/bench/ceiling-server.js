// The benchmark's ceiling: a bare node:http server that answers every request with one fixed,
// pre-serialised JSON body (read once from a file). What a Node server on this machine can do at best;
// plain JavaScript so that it starts in bare `node`.
//
// Usage: node scripts/bench/ceiling-server.js PORT BODY_FILE
import { readFileSync } from "node:fs";
import { createServer } from "node:http";

const [port, file] = process.argv.slice(2);
const body = readFileSync(String(file));
const headers = { "content-type": "application/json; charset=utf-8", "content-length": String(body.length) };

const server = createServer((request, response) => {
  request.resume();
  response.writeHead(200, headers);
  response.end(body);
});
server.listen(Number(port), "127.0.0.1");
process.on("SIGTERM", () => server.close(() => process.exit(0)));
