/**
 * npm run bench:dashboard [-- --json]
 *
 * The dashboard's size and speed, measured in the machine's headless Chromium against a
 * fresh devnet: the bytes of the page (HTML, script, style: everything it loads besides the
 * event stream and the API), the first contentful paint, the time until the first snapshot
 * from the event stream is drawn, and the size of one snapshot.
 */
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { InvalidParameterError } from "../core/index.js";
import { startDevnet } from "../devnet/start.js";
import { chromiumMissing, launchChromium } from "./lib/chromium.js";

const { values } = parseArgs({ options: { json: { type: "boolean", default: false }, runs: { type: "string", default: "5" } } });
const missing = chromiumMissing();
if (missing) throw new InvalidParameterError(`cannot measure the dashboard: ${missing}`);
const runs = Number(values.runs);

const devnet = await startDevnet({ l1Port: 0, l2Port: 0, dataDir: mkdtempSync(join(tmpdir(), "bench-dashboard-")), batchIntervalMs: 500 });
const url = devnet.info.dashboard!.url;
const browser = await launchChromium();
const files = await Promise.all(["", "app.js", "style.css"].map(async (f) => ({ file: f || "index.html", bytes: (await (await fetch(url + f)).arrayBuffer()).byteLength })));
const snapshotBytes = (await (await fetch(`${url}api/snapshot`)).arrayBuffer()).byteLength;
const samples: { fcp: number; drawn: number }[] = [];
for (let i = 0; i < runs; i++) {
  // A fresh context each time: nothing cached.
  const context = await browser.newContext();
  const page = await context.newPage();
  const t0 = Date.now();
  await page.goto(url);
  await page.waitForSelector("#batches");
  const drawn = Date.now() - t0;
  const fcp = await page.evaluate("performance.getEntriesByName('first-contentful-paint')[0]?.startTime ?? -1");
  samples.push({ fcp: Number(fcp), drawn });
  await context.close();
}
await browser.close();
await devnet.stop();

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const pageBytes = files.reduce((s, f) => s + f.bytes, 0);
const result = { pageBytes, files, snapshotBytes, firstContentfulPaintMs: Math.round(median(samples.map((s) => s.fcp))), firstSnapshotDrawnMs: median(samples.map((s) => s.drawn)), runs };
if (values.json) console.log(JSON.stringify(result));
else {
  console.log(`dashboard page: ${pageBytes.toLocaleString("en-US")} bytes uncompressed (${files.map((f) => `${f.file} ${f.bytes.toLocaleString("en-US")}`).join(", ")}), no dependency loaded by the browser`);
  console.log(`one snapshot on the event stream: ${snapshotBytes.toLocaleString("en-US")} bytes (a fresh devnet)`);
  console.log(`headless Chromium, median of ${runs} cold loads: first contentful paint ${result.firstContentfulPaintMs} ms, first snapshot drawn ${result.firstSnapshotDrawnMs} ms after navigation`);
}
process.exit(0);
