// One of two files run side by side (workspace-case.ts).
import { workspaceCase } from "./workspace-case.ts";

workspaceCase("first");
