#!/usr/bin/env node
/**
 * The `rollup-client` command of the installed package (`npm run rollup --` in a checkout):
 * the client CLI of client/cli.ts. `rollup-devnet client` runs the same.
 */
import { runCli } from "./cli.js";

process.exitCode = await runCli(process.argv.slice(2));
