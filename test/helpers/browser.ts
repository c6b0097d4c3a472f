import { mkdirSync } from "node:fs";
import { join, resolve } from "node:path";
import { chromiumMissing } from "../../scripts/lib/chromium.js";

export { launchChromium } from "../../scripts/lib/chromium.js";

/** Where the browser tests write their screenshots (git-ignored). */
export const SCREENSHOT_DIR = resolve(import.meta.dirname, "../../test-output/dashboard");

/** Why the browser tests cannot run here, or undefined when they can. */
export function browserMissing(): string | undefined {
  const missing = chromiumMissing();
  return missing && `SKIPPED the dashboard's browser tests: ${missing}, then run \`npx hardhat test mocha test/dashboard/dashboard.test.ts\`.`;
}

/** The path of screenshot `name`.png, its folder created. */
export function screenshotPath(name: string): string {
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  return join(SCREENSHOT_DIR, `${name}.png`);
}
