import { existsSync, mkdirSync } from "node:fs";
import { join, resolve } from "node:path";
import { type Browser, chromium } from "playwright-core";

/** Debian's Chromium (`apt-get install -y chromium`); CHROMIUM_PATH points elsewhere. No browser is downloaded. */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";

/** The flags the machine's Chromium runs headless with, as root, offline. */
export const CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"];

/** Where the browser tests write their screenshots (git-ignored). */
export const SCREENSHOT_DIR = resolve(import.meta.dirname, "../../test-output/dashboard");

/** Why the browser tests cannot run here, or undefined when they can. */
export function browserMissing(): string | undefined {
  if (existsSync(CHROMIUM_PATH)) return undefined;
  return `SKIPPED the dashboard's browser tests: no Chromium at ${CHROMIUM_PATH}. Install it with \`apt-get install -y chromium\` (as root; .ci/run does) or set CHROMIUM_PATH, then run \`npx hardhat test mocha test/dashboard/dashboard.test.ts\`.`;
}

/** Launches the machine's Chromium headless through playwright-core. */
export async function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_FLAGS, headless: true });
}

/** The path of screenshot `name`.png, its folder created. */
export function screenshotPath(name: string): string {
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  return join(SCREENSHOT_DIR, `${name}.png`);
}
