// The benchmark's ceiling: a bare node:http server that answers each request it knows (method and URL)
// with fixed, pre-serialised bytes: the mock's own answer to it, read once from a JSON file. What a Node
// server on this machine can do at best for the same answers; anything else is a 404 (which the benchmark
// counts as a failure), but `GET /`, its sign of being up, is a 204. Plain JavaScript so that it starts in
// bare `node`.
//
// Usage: node scripts/bench/ceiling-server.js PORT ANSWERS_FILE
// ANSWERS_FILE: [{ "method": "GET", "url": "/public/v1/contact?page=2&limit=20", "status": 200, "body": "..." }]
import { readFileSync } from "node:fs";
import { createServer } from "node:http";

const [port, file] = process.argv.slice(2);
/** @type {{ method: string, url: string, status: number, body: string }[]} */
const list = JSON.parse(readFileSync(String(file), "utf8"));
const answers = new Map(
  list.map(({ method, url, status, body }) => {
    const bytes = Buffer.from(body);
    const headers = { "content-type": "application/json; charset=utf-8", "content-length": String(bytes.length) };
    return [`${method} ${url}`, { status, headers, bytes }];
  }),
);
const notFound = Buffer.from('{"error":"the ceiling has no answer for this request"}');

const server = createServer((request, response) => {
  request.resume();
  const answer = answers.get(`${request.method} ${request.url}`);
  if (answer === undefined) {
    if (request.url === "/") {
      response.writeHead(204);
      response.end();
      return;
    }
    response.writeHead(404, { "content-type": "application/json", "content-length": String(notFound.length) });
    response.end(notFound);
    return;
  }
  response.writeHead(answer.status, answer.headers);
  response.end(answer.bytes);
});
server.listen(Number(port), "127.0.0.1");
process.on("SIGTERM", () => server.close(() => process.exit(0)));
