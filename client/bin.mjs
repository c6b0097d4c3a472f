#!/usr/bin/env node
// The `rollup` command: registers tsx so Node can load the TypeScript client, then runs it.
import { register } from "tsx/esm/api";

register();
const { runCli } = await import("./cli.ts");
process.exitCode = await runCli(process.argv.slice(2));
