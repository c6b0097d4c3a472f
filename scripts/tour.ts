/**
 * npm run tour [-- --json] [--gas-price-gwei G] [--calm-gas-price-gwei G] [--eth-usd P]
 *              [--l1-gas-limit N] [--block-time S] [--max-blobs N] [--skip-zk]
 *              [--parts optimistic,costs,rpc,fraud,zk]
 *
 * Every claim of the seed articles (../shared/seeds/), measured here: brings up the devnets it
 * needs (an optimistic one whose dashboard you can watch while the tour runs, one taken over
 * by the benchmarks' stand-in proposer, one that cheats once, one settled with Groth16),
 * prints claim by claim what the articles say, the figure measured here and why it differs,
 * and with --json the table as one JSON line last. docs/learn/ explains each figure.
 */
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { createWalletClient, erc20Abi, formatEther, http, parseEther, parseEventLogs } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { GameStatus, bridgeAbi, disputeGameAbi, rollupAbi } from "../core/index.js";
import { waitFor } from "../core/wait.js";
import { L1History } from "../dashboard/l1-history.js";
import { createDerivationPipeline } from "../derive/pipeline.js";
import { startDevnet } from "../devnet/start.js";
import { type DevnetOptions } from "../devnet/options.js";
import { BenchProposer, fundSenders } from "./lib/bench-batches.js";
import { type BatchCostRow, blobDirOf, measureBatchCosts } from "./lib/batch-costs.js";
import { measureRpcThroughput } from "./lib/rpc-throughput.js";

const { values } = parseArgs({
  options: {
    json: { type: "boolean", default: false },
    "gas-price-gwei": { type: "string", default: "200" },
    "calm-gas-price-gwei": { type: "string", default: "1" },
    "eth-usd": { type: "string", default: "4000" },
    "l1-gas-limit": { type: "string", default: "30000000" },
    "block-time": { type: "string", default: "12" },
    "max-blobs": { type: "string", default: "9" },
    "skip-zk": { type: "boolean", default: false },
    parts: { type: "string", default: "optimistic,costs,rpc,fraud,zk" },
  },
});
const PEAK_GWEI = Number(values["gas-price-gwei"]);
const CALM_GWEI = Number(values["calm-gas-price-gwei"]);
const ETH_USD = Number(values["eth-usd"]);
const GAS_LIMIT = Number(values["l1-gas-limit"]);
const BLOCK_TIME = Number(values["block-time"]);
const MAX_BLOBS = Number(values["max-blobs"]);
/** EIP-7918: the blob base fee cannot stay below base fee / 16 while blocks carry blobs. */
const BLOB_FEE_RATIO = 1 / 16;
const FULL_BLOB_TRANSFERS = 1670;

const say = (line = ""): void => {
  if (!values.json) console.log(line);
};
const started = Date.now();
const progress = (line: string): void => say(`  [${((Date.now() - started) / 1000).toFixed(0).padStart(4)} s] ${line}`);
const fmt = (n: number, digits = 0): string => n.toLocaleString("en-US", { maximumFractionDigits: digits, minimumFractionDigits: digits });
const usd = (gas: number, gwei: number): string => {
  const dollars = gas * gwei * 1e-9 * ETH_USD;
  return dollars >= 1 ? `$${fmt(dollars, 2)}` : dollars >= 0.01 ? `${fmt(dollars * 100, 1)}¢` : `${fmt(dollars * 100, 3)}¢`;
};
const tmp = (name: string): string => mkdtempSync(join(tmpdir(), `tour-${name}-`));
const devnetOptions = (name: string, options: DevnetOptions = {}): DevnetOptions => ({ l1Port: 0, l2Port: 0, dataDir: tmp(name), batchIntervalMs: 500, ...options });

/**
 * One claim of the seed articles and what this machine measured for it.
 */
interface Claim {
  readonly id: string;
  readonly title: string;
  readonly articles: string;
  measured: string;
  why: string;
  readonly command: string;
  readonly view: string;
  figures: Record<string, number | string | null>;
}
const claims: Claim[] = [];
const claim = (c: Omit<Claim, "measured" | "why" | "figures">): Claim => {
  const full: Claim = { ...c, measured: "missing: not measured (see the error above)", why: "", figures: {} };
  claims.push(full);
  return full;
};
const PARTS = new Set(values.parts.split(","));
/** Runs one part of the tour; a part that fails leaves its claims marked missing, with the reason. */
async function part(key: string, name: string, owned: readonly Claim[], run: () => Promise<void>): Promise<void> {
  if (!PARTS.has(key)) {
    for (const c of owned) if (c.measured.startsWith("missing")) c.measured = `missing: part ${key} not run (--parts)`;
    return;
  }
  say(`\n▶ ${name}`);
  try {
    await run();
  } catch (e) {
    const message = e instanceof Error ? e.message.split("\n")[0]! : String(e);
    progress(`FAILED: ${message}`);
    for (const c of owned) if (c.measured.startsWith("missing")) c.measured = `missing: ${name} failed (${message})`;
  }
}

say("rollup-devnet tour: every claim of the seed articles, measured on this machine");
say(`prices stated, not measured: peak gas ${PEAK_GWEI} gwei, calm gas ${CALM_GWEI} gwei, ETH = $${fmt(ETH_USD)}; blob base fee = base fee / 16 (EIP-7918 reserve)`);
say(`mainnet-like L1: ${fmt(GAS_LIMIT)} gas per ${BLOCK_TIME} s block (EIP-1559 target: half), at most ${MAX_BLOBS} blobs per block`);

const l1Tps = claim({ id: "l1-throughput", title: "L1 throughput", articles: `"Ethereum: ~15-30 TPS" (seed 1); "roughly 15-20 transactions per second" (seed 2)`, command: "npm run tour", view: "#/pipeline" });
const l1Cost = claim({ id: "l1-cost", title: "Cost of a transfer on L1", articles: `"Ethereum fees reached $50+ during peak periods" (seed 1); "$50-100 per transaction for simple swaps" (seed 2)`, command: "npm run tour -- --gas-price-gwei G --eth-usd P", view: "#/tx/<hash>" });
const withdrawal7d = claim({ id: "withdrawal-optimistic", title: "Optimistic withdrawal: the 7-day window", articles: `"a 7-day period during which anyone can submit a challenge ... withdrawing ... takes a week" (seed 2)`, command: "npm run tour; by hand: npm run rollup -- withdraw 1, claim, warp, claim", view: "#/pipeline (countdown)" });
const exodus = claim({ id: "exit-from-l1", title: "Exit from L1 data alone", articles: `"users can reconstruct state from the data on Ethereum and exit" (seed 2)`, command: "npm run tour (measured through the contracts; npm run demo:escape once it exists)", view: "#/exits" });
const amortisation = claim({ id: "amortisation", title: "Amortisation by batch size", articles: `"Amortizes L1 settlement costs across many transactions" (seed 1)`, command: "npm run bench:batch; npm run bench:da", view: "#/pipeline (fee / op)" });
const l2Cost = claim({ id: "l2-cost", title: "Cost of a transfer on the L2", articles: `"Dramatically lower fees (often cents vs. dollars)" (seed 1)`, command: "npm run bench:da -- --base-fee-gwei G", view: "#/pipeline, #/blobs" });
const eip4844 = claim({ id: "eip-4844", title: "EIP-4844 blobs vs calldata", articles: `"L2 transaction fees dropped roughly 10x" (seed 2)`, command: "npm run bench:da", view: "#/blobs" });
const l2Tps = claim({ id: "l2-throughput", title: "L2 throughput", articles: `"Rollups: Thousands of TPS" (seed 1)`, command: "npm run bench:batch -- --rpc-batch 32; npm run bench:stf", view: "#/pipeline" });
const fraud = claim({ id: "fraud-proof", title: "Fraud proven on L1", articles: `"anyone can submit a challenge if they believe a transaction in the batch was invalid" (seed 2); "fraud proofs with challenge periods" (seed 1)`, command: "npm run demo:fraud; npm run bench:dispute", view: "#/disputes" });
const zkWithdrawal = claim({ id: "withdrawal-zk", title: "ZK withdrawal: no window", articles: `"ZK-Rollups use cryptographic validity proofs for immediate finality" (seed 1); "Withdrawals don't require a 7-day window" (seed 2)`, command: "npm run devnet -- --settlement zk", view: "#/prover" });
const proofCost = claim({ id: "proof-cost", title: "Cost of proof generation", articles: `"For ZK rollups, proof generation is computationally expensive" (seed 2)`, command: "npm run bench:prover", view: "#/prover" });

// ─── 1. The optimistic devnet: L1 transfers, a withdrawal through the window, the exodus ──
let sequencerOpsPerSecond: number | undefined;
await part("optimistic", "an optimistic devnet with mainnet's 7-day window (its dashboard is live while this part runs)", [l1Tps, l1Cost, withdrawal7d, exodus], async () => {
  const devnet = await startDevnet(devnetOptions("optimistic"));
  try {
    progress(`devnet up; watch it at ${devnet.info.dashboard?.url ?? "(no dashboard)"}`);
    const { info, l1Client } = devnet;
    const wallet = (n: number) => createWalletClient({ chain: l1Client.chain!, transport: http(info.l1.rpcUrl), account: privateKeyToAccount(info.accounts[n]!.privateKey) });

    // L1 throughput and cost: a plain ETH transfer and an ERC-20 transfer, measured.
    const ethTx = await wallet(5).sendTransaction({ to: info.accounts[6]!.address, value: 1n });
    const ethGas = Number((await l1Client.waitForTransactionReceipt({ hash: ethTx })).gasUsed);
    const tokenTx = await wallet(0).writeContract({ address: info.contracts.testToken, abi: erc20Abi, functionName: "transfer", args: [info.accounts[7]!.address, 10n ** 18n] });
    const tokenGas = Number((await l1Client.waitForTransactionReceipt({ hash: tokenTx })).gasUsed);
    const tps = (gas: number, limit: number) => limit / gas / BLOCK_TIME;
    l1Tps.figures = { ethTransferGas: ethGas, erc20TransferGas: tokenGas, ethTransfersPerSecond: Math.round(tps(ethGas, GAS_LIMIT)), erc20TransfersPerSecondAtTarget: Math.round(tps(tokenGas, GAS_LIMIT / 2)) };
    l1Tps.measured = `${fmt(tps(ethGas, GAS_LIMIT / 2))}–${fmt(tps(ethGas, GAS_LIMIT))} TPS of plain ETH transfers (${fmt(ethGas)} gas each), ${fmt(tps(tokenGas, GAS_LIMIT / 2))}–${fmt(tps(tokenGas, GAS_LIMIT))} TPS of ERC-20 transfers (${fmt(tokenGas)} gas, measured on the devnet's token), at the target–limit of ${fmt(GAS_LIMIT)} gas per ${BLOCK_TIME} s`;
    l1Tps.why = `L1 throughput is gas per second divided by gas per transaction. Mainnet's average transaction (swaps, NFT mints, rollup batches) uses several times a transfer's gas, and blocks aim at half the limit: that brings the ${fmt(tps(tokenGas, GAS_LIMIT / 2))} of ERC-20 transfers down to the articles' 15-30. Every node re-executes every transaction, hence the cap.`;
    l1Cost.figures = { ethTransferUsdPeak: Number((ethGas * PEAK_GWEI * 1e-9 * ETH_USD).toFixed(2)), erc20TransferUsdPeak: Number((tokenGas * PEAK_GWEI * 1e-9 * ETH_USD).toFixed(2)) };
    l1Cost.measured = `ETH transfer ${fmt(ethGas)} gas = ${usd(ethGas, PEAK_GWEI)} at peak (${PEAK_GWEI} gwei), ${usd(ethGas, CALM_GWEI)} calm (${CALM_GWEI} gwei); ERC-20 transfer ${fmt(tokenGas)} gas = ${usd(tokenGas, PEAK_GWEI)} at peak, ${usd(tokenGas, CALM_GWEI)} calm`;
    l1Cost.why = `A fee is gas × gas price × ETH price; the gas of a transfer is fixed by the EVM, the price by demand for block space. "$50+" is a swap (~150,000 gas, not measured here: no DEX on the devnet) at ${PEAK_GWEI} gwei and $${fmt(ETH_USD)}: ${usd(150_000, PEAK_GWEI)}. At calm prices the same transfer costs cents.`;
    progress(`L1: ETH transfer ${ethGas} gas, ERC-20 transfer ${tokenGas} gas`);

    // The optimistic withdrawal: refused before the window ends, paid after it.
    const bob = devnet.client(1);
    const t0 = Date.now();
    const w = await bob.withdraw({ amount: parseEther("0.25") });
    const op = await bob.waitForOp({ hash: w.hash, status: "batched", timeout: 60_000 });
    const onL1Seconds = (Date.now() - t0) / 1000;
    const leaf = (await bob.getWithdrawals()).find((x) => x.batch === op.batch)!;
    const refusal = await bob.claimWithdrawal(leaf).then(
      () => "paid (unexpected)",
      (e: unknown) => (e instanceof Error ? (e.message.match(/BatchNotFinal[^\n]*/)?.[0] ?? e.message.split("\n")[0]!) : String(e)),
    );
    const finalizableAt = Number(await l1Client.readContract({ address: info.contracts.rollup, abi: rollupAbi, functionName: "finalizableAt", args: [BigInt(op.batch!)] }));
    const now = Number((await l1Client.getBlock()).timestamp);
    await devnet.warp(finalizableAt - now + 1);
    const before = await l1Client.getBalance({ address: bob.account.address });
    const claimed = await bob.claimWithdrawal(leaf);
    const receipt = await l1Client.getTransactionReceipt({ hash: claimed.l1TxHash });
    const received = (await l1Client.getBalance({ address: bob.account.address })) - before + receipt.gasUsed * receipt.effectiveGasPrice;
    withdrawal7d.figures = { secondsToL1: Number(onL1Seconds.toFixed(1)), challengeWindowSeconds: info.challengeWindow, claimGas: Number(receipt.gasUsed) };
    withdrawal7d.measured = `on L1 ${fmt(onL1Seconds, 1)} s after the request; a claim then is refused (${refusal}); after ${fmt(info.challengeWindow)} s of L1 time (7 days, skipped with warp) the claim pays ${formatEther(received)} ETH (${fmt(Number(receipt.gasUsed))} gas)`;
    withdrawal7d.why = "Same rule as mainnet: the contract refuses every claim until the batch's window has passed with no open game. The devnet's default window is mainnet's 7 days; only the waiting is simulated (Hardhat's clock jumps).";
    progress(`withdrawal: on L1 after ${onL1Seconds.toFixed(1)} s, refused, paid after the window`);

    // The exodus: the operator stops, a user forces an exit, anyone switches the rollup into
    // exodus, and the user exits from a state rebuilt from L1 data alone.
    const carol = devnet.client(3);
    const carolIdx = info.accounts[3]!.l2Accounts!.ETH;
    await waitFor("every batch on L1", async () => {
      const s = await carol.getRollupStatus();
      return s.openBatch === null && s.postedBatches === s.batches;
    }, { timeoutMs: 60_000 });
    await devnet.warp(info.challengeWindow + 1);
    const l2Balance = BigInt((await carol.l2.request({ method: "rollup_getAccount", params: [carolIdx] }))!.balance);
    await devnet.sequencer.kill();
    const stoppedAt = Number((await l1Client.getBlock()).timestamp);
    progress("exodus: the operator is stopped; carol asks for a forced exit on L1");
    // Straight to the bridge: with the operator gone, the client cannot ask the L2 RPC anything.
    const queueFee = await l1Client.readContract({ address: info.contracts.bridge, abi: bridgeAbi, functionName: "queueFee" });
    const exitRequest = await wallet(3).writeContract({ address: info.contracts.bridge, abi: bridgeAbi, functionName: "forcedExit", args: [carolIdx], value: queueFee });
    const [entry] = parseEventLogs({ abi: bridgeAbi, eventName: "QueueEntryAdded", logs: (await l1Client.waitForTransactionReceipt({ hash: exitRequest })).logs });
    const queueIndex = Number(entry!.args.index);
    const dueAt = Number(await l1Client.readContract({ address: info.contracts.rollup, abi: rollupAbi, functionName: "exodusDueAt", args: [BigInt(queueIndex)] }));
    await devnet.warp(dueAt - Number((await l1Client.getBlock()).timestamp) + 1);
    const activation = await wallet(4).writeContract({ address: info.contracts.rollup, abi: rollupAbi, functionName: "activateExodus", args: [BigInt(queueIndex)] });
    await l1Client.waitForTransactionReceipt({ hash: activation });
    const deriveStarted = performance.now();
    const pipeline = await createDerivationPipeline({ l1RpcUrl: info.l1.rpcUrl, contracts: info.contracts, beaconUrl: info.beacon.url, fromBlock: BigInt(info.deployBlock) });
    const derived = await pipeline.sync();
    const state = pipeline.deriver.state;
    const deriveSeconds = (performance.now() - deriveStarted) / 1000;
    const a = state.account(carolIdx)!;
    const carolWallet = wallet(3);
    const beforeExit = await l1Client.getBalance({ address: carolWallet.account.address });
    const exitTx = await carolWallet.writeContract({
      address: info.contracts.bridge,
      abi: bridgeAbi,
      functionName: "exodusWithdraw",
      args: [BigInt(carolIdx), { tokenId: a.tokenId, nonce: a.nonce, balance: a.balance, ax: a.Ax, ay: a.Ay, ethAddr: a.ethAddr }, state.accountsRoot, BigInt(state.nextAccountIndex), state.proof(carolIdx) as never],
    });
    const exitReceipt = await l1Client.waitForTransactionReceipt({ hash: exitTx });
    const paid = (await l1Client.getBalance({ address: carolWallet.account.address })) - beforeExit + exitReceipt.gasUsed * exitReceipt.effectiveGasPrice;
    const exitedAt = Number((await l1Client.getBlock()).timestamp);
    exodus.figures = { paidWei: paid.toString(), l2BalanceWei: l2Balance.toString(), exitGas: Number(exitReceipt.gasUsed), l1SecondsFromStopToExit: exitedAt - stoppedAt, deriveSeconds: Number(deriveSeconds.toFixed(2)) };
    exodus.measured = `${paid === l2Balance ? "paid exactly" : "PAID DIFFERENTLY FROM"} the L2 balance, ${formatEther(paid)} ETH, by Bridge.exodusWithdraw (${fmt(Number(exitReceipt.gasUsed))} gas) with a Merkle proof from a state rebuilt from L1 calldata alone (${derived.length} batch events, ${fmt(deriveSeconds, 2)} s); ${fmt((exitedAt - stoppedAt) / 3600, 1)} h of L1 time after the operator stopped (inclusion window + exodus delay, 1 day each on the devnet)`;
    exodus.why = "As the article says, with one condition it leaves out: someone must be able to force the rollup into exit mode. Here a forced exit the operator does not include by its deadline lets anyone call activateExodus; then no operator is needed at all. Mainnet rollups set those delays to days (zkSync Lite: 14 days).";
    progress(`exodus: paid ${formatEther(paid)} ETH from L1 data alone`);
  } finally {
    await devnet.stop();
  }
});

// ─── 2. Batch costs: amortisation, calldata vs blobs, L2 cost in dollars ───────────────────
let rows: BatchCostRow[] = [];
await part("costs", "batches of 1 to 1,670 transfers posted as calldata and as blobs by the benchmarks' stand-in proposer", [amortisation, l2Cost, eip4844], async () => {
  const dataDir = tmp("costs");
  const devnet = await startDevnet({ ...devnetOptions("costs"), dataDir, beaconPort: 0, batchSize: 512, fundedAccounts: 1, challenger: false, dashboard: false });
  try {
    const proposer = await BenchProposer.takeOver(devnet, await fundSenders(devnet, { count: 64, ethEach: "10", label: "tour" }));
    rows = await measureBatchCosts(devnet, proposer, [1, 16, 128, 512, FULL_BLOB_TRANSFERS], { blobDir: blobDirOf(dataDir) });
  } finally {
    await devnet.stop();
  }
  const per = (gas: number, r: BatchCostRow) => gas / r.batchSize;
  amortisation.figures = Object.fromEntries(rows.map((r) => [`gasPerTransferAt${r.batchSize}`, Math.round(per(r.calldataGas, r))]));
  amortisation.measured = `L1 gas per transfer, calldata: ${rows.map((r) => `${fmt(r.batchSize)} → ${fmt(per(r.calldataGas, r))}`).join(", ")}`;
  amortisation.why = `A batch pays ~${fmt(rows[0]!.calldataGas - rows[0]!.payloadBytes * 40)} gas of fixed cost (the transaction, the commitment, the queue) once, shared by its transfers; above ~128 transfers the data itself (EIP-7623's floor, 40 gas per non-zero byte, 76 bytes per signed transfer) is the cost, so the curve flattens near ${fmt(per(rows.at(-1)!.calldataGas, rows.at(-1)!))} gas.`;
  const full = rows.at(-1)!;
  const calldataPer = per(full.calldataGas, full);
  /** Per transfer, in gas at the base fee: blob gas costs base fee / 16 (EIP-7918's reserve). */
  const blobFee = (r: BatchCostRow) => (r.blobTxGas! + r.blobGas! * BLOB_FEE_RATIO) / r.batchSize;
  const blobEquivalentGas = blobFee(full);
  l2Cost.figures = { calldataGasPerTransfer: Math.round(calldataPer), blobGasEquivalentPerTransfer: Number(blobEquivalentGas.toFixed(1)), calldataUsdPeak: Number((calldataPer * PEAK_GWEI * 1e-9 * ETH_USD).toFixed(3)), blobUsdPeak: Number((blobEquivalentGas * PEAK_GWEI * 1e-9 * ETH_USD).toFixed(4)) };
  l2Cost.measured = `L1 cost of one L2 transfer in a batch of ${fmt(full.batchSize)}: calldata ${fmt(calldataPer)} gas = ${usd(calldataPer, PEAK_GWEI)} at peak, ${usd(calldataPer, CALM_GWEI)} calm; blobs ${fmt(full.blobTxGas! / full.batchSize, 1)} gas + ${fmt(full.blobGas! / full.batchSize, 1)} blob gas = ${usd(blobEquivalentGas, PEAK_GWEI)} at peak, ${usd(blobEquivalentGas, CALM_GWEI)} calm (vs ${usd(21_000, PEAK_GWEI)} for an L1 ETH transfer)`;
  l2Cost.why = `"Cents" holds for blobs at any price and for calldata only when L1 is calm: at peak prices a calldata rollup transfer costs ${usd(calldataPer, PEAK_GWEI)}, ${fmt(21_000 / calldataPer, 1)}× less than on L1 but not cents. The L2's fee also pays execution, proving and the operator, which this devnet does not price (its fees are what users sign).`;
  const ratios = rows.map((r) => ({ size: r.batchSize, ratio: r.calldataGas / r.batchSize / blobFee(r) }));
  eip4844.figures = Object.fromEntries(ratios.map((r) => [`blobAdvantageAt${r.size}`, Number(r.ratio.toFixed(1))]));
  eip4844.measured = `L1 data cost per transfer, calldata ÷ blobs (blob base fee = base fee / 16): ${ratios.map((r) => `${fmt(r.size)} → ${fmt(r.ratio, 1)}×`).join(", ")}`;
  eip4844.why = "The ratio depends on how full the blob is (a blob is paid whole: 131,072 blob gas) and on the blob base fee against the base fee; ~10× is one point on that curve. The article compares end-user fees of March 2024, which also pay L2 execution and margins blobs do not cut, at a time blob gas was nearly free (docs/blobs.md).";
  progress(`costs: ${rows.map((r) => `${r.batchSize}: ${Math.round(r.calldataGas / r.batchSize)} gas`).join(", ")}`);
});

await part("rpc", "the sequencer's own rate: signed transfers through the L2 JSON-RPC into L1 batches", [l2Tps], async () => {
  const devnet = await startDevnet({ ...devnetOptions("rpc"), batchSize: 512, fundedAccounts: 1, dashboard: false });
  try {
    const result = await measureRpcThroughput(devnet, { ops: 3072, senders: 32, perRequest: 32, label: "tour" });
    sequencerOpsPerSecond = result.onL1OpsPerSecond;
    progress(`${result.ops} transfers on L1 in ${result.onL1Seconds.toFixed(1)} s: ${result.onL1OpsPerSecond.toFixed(0)} ops/s`);
  } finally {
    await devnet.stop();
  }
  const full = rows.at(-1);
  const calldataBound = full ? GAS_LIMIT / 2 / (full.calldataGas / full.batchSize) / BLOCK_TIME : null;
  const blobBound = (MAX_BLOBS * FULL_BLOB_TRANSFERS) / BLOCK_TIME;
  l2Tps.figures = { sequencerOpsPerSecond: Math.round(sequencerOpsPerSecond!), calldataBoundTps: calldataBound && Math.round(calldataBound), blobBoundTps: Math.round(blobBound) };
  l2Tps.measured = `this sequencer on 2 shared cores: ${fmt(sequencerOpsPerSecond!)} signed transfers/s accepted and posted; what L1 can carry: ${calldataBound ? `${fmt(calldataBound)} TPS as calldata in half of every ${fmt(GAS_LIMIT)}-gas block` : "calldata bound missing"}, ${fmt(blobBound)} TPS in ${MAX_BLOBS} full blobs per block (${FULL_BLOB_TRANSFERS} transfers per blob)`;
  l2Tps.why = "A rollup's throughput is the smaller of its sequencer's speed and the L1 data it can buy. Both are in the thousands here only for blobs; calldata caps a payments rollup at hundreds of TPS even if it had half of L1 to itself. Real rollups compress (~10-20 bytes per transfer) and run on bigger machines.";
});

// ─── 3. A fraud proven on L1 ───────────────────────────────────────────────────────────────
await part("fraud", "a devnet whose sequencer posts one wrong batch (fault wrong-root), the challenger agent proving it wrong", [fraud], async () => {
  const devnet = await startDevnet(devnetOptions("fraud", { fault: { kind: "wrong-root" }, batchIntervalMs: 300, dashboard: false }));
  try {
    const { info, l1Client } = devnet;
    const alice = devnet.client(0);
    for (let i = 1; i <= 3; i++) await alice.transfer({ toIdx: info.accounts[1]!.l2Accounts!.ETH, amount: parseEther("0.1") * BigInt(i) });
    await waitFor("the challenger to win on L1", async () => {
      if ((await l1Client.readContract({ address: info.dispute.game, abi: disputeGameAbi, functionName: "gameCount" })) === 0n) return false;
      return (await l1Client.readContract({ address: info.dispute.game, abi: disputeGameAbi, functionName: "game", args: [0n] })).status === GameStatus.ChallengerWon;
    }, { timeoutMs: 120_000 });
    // The same reader as the dashboard's dispute view.
    const history = new L1History(l1Client, { rollup: info.contracts.rollup, bridge: info.contracts.bridge, disputeGame: info.dispute.game }, BigInt(info.deployBlock));
    await history.sync(await l1Client.getBlockNumber());
    const moves = history.games.get(0)!.moves;
    const wrong = history.postings.find((p) => p.invalidated)!;
    const txs = [...new Map(moves.map((m) => [m.txHash, m.gasUsed])).values()];
    const proof = moves.find((m) => m.kind === "StepProven")!;
    const resolved = moves.find((m) => m.kind === "GameResolved")!;
    const bisections = moves.filter((m) => m.kind === "Bisected").length;
    fraud.figures = { transactions: txs.length, bisections, disputeGas: Number(txs.reduce((s, g) => s + g, 0n)), oneStepProofGas: Number(proof.gasUsed), l1SecondsFromWrongBatchToResolution: resolved.at - wrong.submittedAt, stepCount: Number(moves[0]!.detail.stepCount) };
    fraud.measured = `the wrong batch #${wrong.index} (${fraud.figures.stepCount} steps) was challenged and disproven in ${txs.length} L1 transactions (${bisections} bisections down to one step, one-step proof ${fmt(Number(proof.gasUsed))} gas, ${fmt(Number(fraud.figures.disputeGas))} gas in all), ${resolved.at - wrong.submittedAt} s after it was posted; the proposer lost its 1 ETH bond (half burned, half to the challenger) and the batch was removed and re-posted honestly`;
    fraud.why = "As described, with what the article skips: the game is interactive (log2(steps) rounds of bisection, then L1 re-executes one op), so a challenge costs ~3.6M gas for a 64-transfer batch (npm run bench:dispute), and chess clocks bound how long either side may stall. The 7-day window is the time allowed for this, not the time it takes.";
    progress(`fraud: ${txs.length} transactions, resolved ${resolved.at - wrong.submittedAt} s after the wrong batch`);
  } finally {
    await devnet.stop();
  }
});

// ─── 4. ZK settlement: the withdrawal without a window, and what the proof costs ──────────
await part("zk", "a devnet settled with Groth16 proofs (INSECURE dev setup; the first run builds the circuit, ~1-2 min)", [zkWithdrawal, proofCost], async () => {
  if (values["skip-zk"]) {
    zkWithdrawal.measured = proofCost.measured = "missing: skipped with --skip-zk";
    return;
  }
  const devnet = await startDevnet(devnetOptions("zk", { settlement: "zk", dashboard: false, onLog: (line) => progress(line) }));
  try {
    const { info, l1Client } = devnet;
    const bob = devnet.client(1);
    const t0 = Date.now();
    const w = await bob.withdraw({ amount: parseEther("0.25") });
    const op = await bob.waitForOp({ hash: w.hash, status: "final", timeout: 300_000 });
    const leaf = (await bob.getWithdrawals()).find((x) => x.batch === op.batch)!;
    const claimed = await bob.claimWithdrawal(leaf);
    const seconds = (Date.now() - t0) / 1000;
    const batch = await bob.l2.request({ method: "rollup_getBatch", params: [op.batch!] });
    const receipt = await l1Client.getTransactionReceipt({ hash: batch.l1TxHash! });
    const claimReceipt = await l1Client.getTransactionReceipt({ hash: claimed.l1TxHash });
    const proveSeconds = batch.proof?.seconds ?? null;
    zkWithdrawal.figures = { secondsToClaimed: Number(seconds.toFixed(1)), proveSeconds, submitZkBatchGas: Number(receipt.gasUsed) };
    zkWithdrawal.measured = `withdrawal requested → paid on L1 in ${fmt(seconds, 1)} s of wall time, no warp (proof ${proveSeconds === null ? "?" : fmt(proveSeconds, 1)} s, submitZkBatch ${fmt(Number(receipt.gasUsed))} gas, claim ${fmt(Number(claimReceipt.gasUsed))} gas), against 7 days + the time to L1 on the optimistic path`;
    zkWithdrawal.why = "Final as soon as the proof verifies on L1, as the articles say; \"immediate\" means \"as soon as a proof is made\", which is the proving time: seconds here for a 4-slot circuit, minutes to hours for zkEVMs.";
    const slots = info.zk!.slots;
    const perTransfer = proveSeconds === null ? null : proveSeconds / slots;
    proofCost.figures = { constraints: info.zk!.constraints, slots, proveSecondsPerBatch: proveSeconds, proveSecondsPerTransfer: perTransfer && Number(perTransfer.toFixed(2)), sequencerOpsPerSecond: sequencerOpsPerSecond === undefined ? null : Math.round(sequencerOpsPerSecond) };
    proofCost.measured = `${fmt(info.zk!.constraints)} constraints for ${slots} slots at 2^${3 * info.levels} accounts; ${proveSeconds === null ? "?" : fmt(proveSeconds, 1)} s of CPU per batch${perTransfer === null ? "" : ` = ${fmt(perTransfer, 2)} s per transfer`}${sequencerOpsPerSecond === undefined || perTransfer === null ? "" : `, against ${fmt(1 / sequencerOpsPerSecond, 4)} s to execute one in the sequencer: ~${fmt(perTransfer * sequencerOpsPerSecond)}× the work`}; verifying on L1 is cheap (submitZkBatch ${fmt(Number(receipt.gasUsed))} gas with the data and the roots)`;
    proofCost.why = "Confirmed: proving is orders of magnitude more work than executing, paid off-chain by the prover, while verification on L1 stays constant. Measured on 2 cores with snarkjs (JavaScript/WebAssembly) and a dev key; production provers use GPUs and faster proof systems.";
    progress(`zk: withdrawal paid ${seconds.toFixed(1)} s after the request`);
  } finally {
    await devnet.stop();
  }
});

// ─── The table ─────────────────────────────────────────────────────────────────────────────
say("\n════════════════════════════════ The claims, measured ════════════════════════════════");
claims.forEach((c, i) => {
  say(`\n[${i + 1}] ${c.title}`);
  say(`    the articles:  ${c.articles}`);
  say(`    measured here: ${c.measured}`);
  if (c.why) say(`    why:           ${c.why}`);
  say(`    reproduce:     ${c.command}   ·   dashboard view: ${c.view}`);
});
say(`\n(${((Date.now() - started) / 1000).toFixed(0)} s; prices are the stated assumptions above, gas and seconds are measured)`);
if (values.json) {
  console.log(JSON.stringify({ assumptions: { peakGasGwei: PEAK_GWEI, calmGasGwei: CALM_GWEI, ethUsd: ETH_USD, l1GasLimit: GAS_LIMIT, blockTimeSeconds: BLOCK_TIME, maxBlobsPerBlock: MAX_BLOBS }, claims: claims.map(({ id, title, measured, figures }) => ({ id, title, measured, figures })) }));
}
process.exit(claims.some((c) => c.measured.startsWith("missing") && !c.measured.includes("--skip-zk") && !c.measured.includes("--parts")) ? 1 : 0);
