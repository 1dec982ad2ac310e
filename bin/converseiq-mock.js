#!/usr/bin/env node
// The `converseiq-mock` command: the mock server's CLI (mock-server/cli.ts), run from its TypeScript
// source through tsx's loader, in this process (so signals reach it directly).
import { register } from "tsx/esm/api";

register();
await import("../mock-server/cli.ts");
