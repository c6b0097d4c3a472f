import { expect } from "chai";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseEther, parseEventLogs } from "viem";
import { type Browser, type Page } from "playwright-core";
import { createRollupClient } from "../../client/index.js";
import { disputeGameAbi, GameStatus } from "../../core/index.js";
import { waitFor } from "../../core/wait.js";
import { type Devnet, startDevnet } from "../../devnet/start.js";
import { type DevnetOptions } from "../../devnet/options.js";
import { browserMissing, launchChromium, screenshotPath } from "../helpers/browser.js";

/**
 * The dashboard in a real browser (Debian's Chromium through playwright-core): it shows a
 * devnet's real batches and pushes their progress without a reload, a fraud scenario's
 * bisection moves in the order L1 recorded them, and a blob batch's KZG commitment as the
 * Beacon API serves it. Each view is saved as a screenshot under test-output/dashboard/.
 */
describe("dashboard: headless Chromium against real devnets", function () {
  this.timeout(240_000);
  let browser: Browser;

  before(async function () {
    const missing = browserMissing();
    // CI installs the browser and sets REQUIRE_CHROMIUM: there a missing browser fails the run.
    if (missing && process.env.REQUIRE_CHROMIUM) throw new Error(`REQUIRE_CHROMIUM is set: ${missing}`);
    if (missing) {
      console.log(`\n  ${missing}\n`);
      this.skip();
    }
    browser = await launchChromium();
  });
  after(async () => browser?.close());

  async function devnetWith(name: string, options: DevnetOptions): Promise<Devnet> {
    return startDevnet({ l1Port: 0, l2Port: 0, dataDir: mkdtempSync(join(tmpdir(), `dashboard-${name}-`)), batchIntervalMs: 300, ...options });
  }

  async function open(devnet: Devnet, route: string): Promise<Page> {
    const page = await browser.newPage({ viewport: { width: 1360, height: 900 } });
    await page.goto(`${devnet.info.dashboard!.url}${route}`);
    await page.waitForSelector("#live.on");
    return page;
  }

  const client = (devnet: Devnet, n: number) =>
    createRollupClient({ l1RpcUrl: devnet.info.l1.rpcUrl, l2RpcUrl: devnet.info.l2.rpcUrl, account: devnet.info.accounts[n]!.privateKey, pollingInterval: 50 });

  it("dashboard_optimisticDevnet_showsTheRealBatchesAndPushesFinality", async () => {
    const devnet = await devnetWith("optimistic", {});
    try {
      expect(devnet.info.dashboard?.url).to.match(/^http:\/\/127\.0\.0\.1:\d+\/$/);
      const alice = client(devnet, 0);
      const page = await open(devnet, "#/pipeline");
      // A marker that a reload would erase: every later change must arrive by push.
      await page.evaluate("window.notReloaded = true");
      const sent = await alice.transfer({ toIdx: devnet.info.accounts[1]!.l2Accounts!.ETH, amount: parseEther("0.5") });
      const op = await alice.waitForOp({ hash: sent.hash, status: "batched", timeout: 30_000 });
      const batches = await alice.l2.request({ method: "rollup_getBatches", params: [0, 100] });
      for (const b of batches) {
        const row = page.locator(`#batches tr[data-batch="${b.index}"]`);
        await row.waitFor();
        await waitFor(`batch ${b.index}'s L1 transaction on the page`, async () => (await row.textContent())!.includes(b.l1TxHash!.slice(0, 10)), { timeoutMs: 10_000 });
      }
      const row = page.locator(`#batches tr[data-batch="${op.batch}"]`);
      expect(await row.textContent()).to.contain("on L1").and.to.contain("final in");
      await page.screenshot({ path: screenshotPath("pipeline-on-l1"), fullPage: true });

      await devnet.warp(devnet.info.challengeWindow + 1);
      await waitFor("the batch to turn final on the page", async () => (await row.textContent())!.includes("final"), { timeoutMs: 15_000 });
      expect(await page.evaluate("window.notReloaded")).to.equal(true);
      await page.screenshot({ path: screenshotPath("pipeline-final"), fullPage: true });

      await page.locator("#search input").fill(sent.hash);
      await page.locator("#search button").click();
      await page.waitForURL(/#\/op\//);
      await waitFor("the op view", async () => (await page.locator("main").textContent())!.includes(op.l1TxHash!.slice(0, 10)), { timeoutMs: 10_000 });
      await page.screenshot({ path: screenshotPath("op"), fullPage: true });
      await page.locator(`main a[href="#/tx/${op.l1TxHash}"]`).click();
      await waitFor("the L1 transaction view", async () => (await page.locator("main").textContent())!.includes("submitBatch"), { timeoutMs: 10_000 });
      await page.screenshot({ path: screenshotPath("l1-tx"), fullPage: true });

      const checks: Record<string, () => Promise<unknown>> = {
        accounts: async () => expect((await page.locator("#accounts").textContent())!.toLowerCase()).to.contain(devnet.info.accounts[0]!.address.toLowerCase()),
        exits: async () => expect(await page.locator("#exodus-state").textContent()).to.contain("Rollup.exodus() = false"),
        prover: async () => expect(await page.locator("main").textContent()).to.contain("settles optimistically"),
      };
      for (const [name, check] of Object.entries(checks)) {
        await page.goto(`${devnet.info.dashboard!.url}#/${name}`);
        await page.waitForSelector(`body[data-view="${name}"]`);
        await check();
        await page.screenshot({ path: screenshotPath(name), fullPage: true });
      }
    } finally {
      await devnet.stop();
    }
  });

  it("dashboard_wrongRootFault_showsTheBisectionMovesInOrder", async () => {
    const devnet = await devnetWith("fraud", { fault: { kind: "wrong-root" } });
    try {
      const alice = client(devnet, 0);
      const page = await open(devnet, "#/disputes");
      for (let i = 1; i <= 3; i++) await alice.transfer({ toIdx: devnet.info.accounts[1]!.l2Accounts!.ETH, amount: parseEther("0.1") * BigInt(i) });
      await waitFor(
        "the game to be won by the challenger on L1",
        async () => {
          const count = await devnet.l1Client.readContract({ address: devnet.info.dispute.game, abi: disputeGameAbi, functionName: "gameCount" });
          if (count === 0n) return false;
          const game = await devnet.l1Client.readContract({ address: devnet.info.dispute.game, abi: disputeGameAbi, functionName: "game", args: [0n] });
          return game.status === GameStatus.ChallengerWon;
        },
        { timeoutMs: 90_000 },
      );
      const logs = parseEventLogs({ abi: disputeGameAbi, logs: await devnet.l1Client.getLogs({ address: devnet.info.dispute.game, fromBlock: BigInt(devnet.info.deployBlock) }) });
      const onL1 = logs.filter((e) => "gameId" in e.args && e.args.gameId === 0n && e.eventName !== "InstanceDisproven").map((e) => e.eventName);
      const card = page.locator('.game[data-game="0"]');
      await waitFor("every move on the page", async () => (await card.locator("tr.move").count()) === onL1.length, { timeoutMs: 15_000 });
      const shown = await card.locator("tr.move").evaluateAll((rows) => rows.map((r) => r.getAttribute("data-kind")));
      expect(shown).to.deep.equal(onL1);
      expect(shown.filter((k) => k === "Bisected").length).to.be.greaterThan(0);

      // The disputed range narrows move by move down to one step, as the bars say.
      const ranges = await card.locator("tr.move td.bar .track").evaluateAll((bars) => bars.map((b) => b.getAttribute("title")!.match(/\[(\d+), (\d+)\]/)!.slice(1).map(Number)));
      const bisections = ranges.filter((_, i) => shown[i] === "Bisected");
      for (let i = 1; i < bisections.length; i++) {
        const [lo, hi] = bisections[i]!;
        const [plo, phi] = bisections[i - 1]!;
        expect(lo! >= plo! && hi! <= phi! && hi! - lo! < phi! - plo!, `range ${i} [${lo}, ${hi}] inside [${plo}, ${phi}]`).to.equal(true);
      }
      expect(bisections.at(-1)![1]! - bisections.at(-1)![0]!).to.equal(1);
      expect(await page.locator("#outcome-0").textContent()).to.contain("FRAUD PROVEN");
      await page.screenshot({ path: screenshotPath("disputes"), fullPage: true });

      await page.goto(`${devnet.info.dashboard!.url}#/pipeline`);
      await page.waitForSelector('body[data-view="pipeline"]');
      await page.screenshot({ path: screenshotPath("pipeline-after-fraud"), fullPage: true });
    } finally {
      await devnet.stop();
    }
  });

  it("dashboard_blobBatch_showsItsKzgCommitmentAndTheOpenedElements", async () => {
    const devnet = await devnetWith("blobs", { da: "blobs", fault: { kind: "wrong-root" } });
    try {
      const alice = client(devnet, 0);
      for (let i = 1; i <= 3; i++) await alice.transfer({ toIdx: devnet.info.accounts[1]!.l2Accounts!.ETH, amount: parseEther("0.1") * BigInt(i) });
      const page = await open(devnet, "#/blobs");
      await waitFor(
        "a one-step proof over a blob on L1",
        async () => {
          const logs = parseEventLogs({ abi: disputeGameAbi, logs: await devnet.l1Client.getLogs({ address: devnet.info.dispute.game, fromBlock: BigInt(devnet.info.deployBlock) }) });
          return logs.some((e) => e.eventName === "GameResolved");
        },
        { timeoutMs: 90_000 },
      );
      const game = await devnet.l1Client.readContract({ address: devnet.info.dispute.game, abi: disputeGameAbi, functionName: "game", args: [0n] });
      const batch = Number(game.batchIndex);
      await page.goto(`${devnet.info.dashboard!.url}#/disputes`);
      await page.waitForSelector('body[data-view="disputes"]');
      await waitFor("the one-step proof on the page", async () => ((await page.locator("#outcome-0").textContent({ timeout: 500 }).catch(() => "")) ?? "").includes("see them in the blob"), { timeoutMs: 30_000 });
      await page.screenshot({ path: screenshotPath("disputes-blob"), fullPage: true });
      await page.goto(`${devnet.info.dashboard!.url}#/blob/${batch}`);
      await page.waitForSelector("#commitment-0");
      const shown = (await page.locator("#commitment-0").textContent())!;
      // The commitment the Beacon API serves for the blob the disputed posting carried.
      const block = Number((await page.locator("main h2").textContent())!.match(/L1 block (\d+)/)![1]);
      const sidecars = (await (await fetch(`${devnet.info.beacon.url}/eth/v1/beacon/blob_sidecars/${block}`)).json()) as { data: { kzg_commitment: string }[] };
      expect(sidecars.data.map((s) => s.kzg_commitment)).to.include(shown);
      expect(await page.locator("main").textContent()).to.contain("= BLOBHASH on L1");
      expect(await page.locator("#elements tr.opened").count()).to.be.greaterThanOrEqual(4);
      await page.screenshot({ path: screenshotPath("blob"), fullPage: true });
    } finally {
      await devnet.stop();
    }
  });
  it("dashboard_viewThatCannotBeDrawn_saysSoAndLaterViewsStillDraw", async () => {
    // A snapshot the page could not draw once froze every later view (a blob batch sealed but
    // not yet on L1 broke the Blobs view). The page gets a real snapshot with such a batch and a
    // game it cannot draw, served in place of the event stream.
    const devnet = await devnetWith("render", { challenger: false });
    try {
      type Real = { batches: { index: number; da: string | null; l1: unknown }[]; games: unknown[] };
      // The first snapshot of the event stream that lists the funding batches.
      const stream = await fetch(`${devnet.info.dashboard!.url}events`);
      const reader = stream.body!.getReader();
      const decoder = new TextDecoder();
      let text = "";
      let real: Real | undefined;
      while (!real) {
        text += decoder.decode((await reader.read()).value, { stream: true });
        for (let end = text.indexOf("\n\n"); end >= 0 && !real; end = text.indexOf("\n\n")) {
          const event = text.slice(0, end);
          text = text.slice(end + 2);
          const data = event.split("\n").find((line) => line.startsWith("data: "));
          const parsed = data && (JSON.parse(data.slice(6)) as Real);
          if (parsed && parsed.batches.length > 0) real = parsed;
        }
      }
      await reader.cancel();
      const sealed = { ...real.batches[0]!, index: real.batches.length, da: "blobs", l1: null };
      const snapshot = { ...real, batches: [...real.batches, sealed], games: [{ id: 0 }] };
      const page = await browser.newPage({ viewport: { width: 1360, height: 900 } });
      await page.route("**/events", (route) => route.fulfill({ status: 200, headers: { "content-type": "text/event-stream" }, body: `data: ${JSON.stringify(snapshot)}\n\n` }));
      await page.goto(`${devnet.info.dashboard!.url}#/blobs`);
      await page.waitForSelector('body[data-view="blobs"]');
      expect(await page.locator("main").textContent()).to.contain("No blob batch among the recent batches");
      await page.goto(`${devnet.info.dashboard!.url}#/disputes`);
      await waitFor("the sentence that the view could not be drawn", async () => ((await page.locator("main").textContent()) ?? "").includes("This view could not be drawn"), { timeoutMs: 10_000 });
      await page.goto(`${devnet.info.dashboard!.url}#/pipeline`);
      await page.waitForSelector('body[data-view="pipeline"]');
      expect(await page.locator(`#batches tr[data-batch="${real.batches[0]!.index}"]`).count()).to.equal(1);
    } finally {
      await devnet.stop();
    }
  });
});
