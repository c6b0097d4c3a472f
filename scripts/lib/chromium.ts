/**
 * The machine's Chromium, driven through playwright-core: Debian's `chromium` package at
 * /usr/bin/chromium (or CHROMIUM_PATH), never a downloaded browser. Shared by the dashboard's
 * browser tests and `npm run bench:dashboard`.
 */
import { existsSync } from "node:fs";
import { type Browser, chromium } from "playwright-core";

/** Debian's Chromium (`apt-get install -y chromium`); CHROMIUM_PATH points elsewhere. */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";

/** The flags Chromium runs headless with here: as root, offline, nothing fetched in the background. */
export const CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"];

/**
 * Why no browser can run here, or undefined when one can.
 *
 * @example
 * const missing = chromiumMissing(); if (missing) console.log(missing)
 */
export function chromiumMissing(): string | undefined {
  if (existsSync(CHROMIUM_PATH)) return undefined;
  return `no Chromium at ${CHROMIUM_PATH}: install it with \`apt-get install -y chromium\` (as root; .ci/run does) or set CHROMIUM_PATH`;
}

/**
 * Launches the machine's Chromium headless.
 *
 * @example
 * const browser = await launchChromium(); const page = await browser.newPage()
 */
export async function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_FLAGS, headless: true });
}
