/**
 * npm run demo:fraud [-- --fault wrong-root|bad-signature|skip-deposit|pay-proposer] [-- --da calldata|blobs]
 *
 * A fraud proof from start to end, in plain words: a devnet whose sequencer posts one wrong
 * batch on purpose, the challenger agent that catches it, the bisection game, the one-step
 * proof on L1, the bond moving, the invalidation and the honest re-proposal, and a user's
 * withdrawal that still pays exactly. Everything narrated here is read from L1 events. With
 * `--da blobs` the batches go in EIP-4844 blobs and the one-step proof reads the disputed op
 * from the blob through KZG point-evaluation openings.
 */
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { type Hex, decodeFunctionData, formatEther, parseEther, parseEventLogs } from "viem";
import { createRollupClient } from "../client/index.js";
import { type Address, GameEndReason, InvalidParameterError, disputeGameAbi, rollupAbi } from "../core/index.js";
import { waitFor } from "../core/wait.js";
import { startDevnet } from "../devnet/start.js";
import { createDerivationPipeline } from "../derive/pipeline.js";
import { FAULT_KINDS, parseFaultSpec } from "../sequencer/faults/faulty-proposer.js";

const { values } = parseArgs({ options: { fault: { type: "string", default: "wrong-root" }, da: { type: "string", default: "calldata" } } });
const fault = parseFaultSpec(values.fault);
if (values.da !== "calldata" && values.da !== "blobs") {
  throw new InvalidParameterError(`--da is calldata or blobs, got ${values.da}`, { details: "run `npm run demo:fraud -- --da blobs`, or leave --da out for calldata" });
}
const da = values.da;
const started = Date.now();
const say = (text: string) => console.log(`[${((Date.now() - started) / 1000).toFixed(1).padStart(5)} s] ${text}`);
const short = (h: Hex | bigint) => {
  const hex = typeof h === "bigint" ? `0x${h.toString(16).padStart(64, "0")}` : h;
  return `${hex.slice(0, 10)}…`;
};
const REASONS = Object.fromEntries(Object.entries(GameEndReason).map(([k, v]) => [v, k]));

console.log(`Fraud-proof demo: fault "${fault.kind}" (others: ${FAULT_KINDS.filter((k) => k !== fault.kind).join(", ")}), batch data in ${da}\n`);
say("starting a devnet: Hardhat L1, contracts, sequencer (told to cheat once) and the challenger agent");
const devnet = await startDevnet({
  l1Port: 0,
  l2Port: 0,
  dataDir: mkdtempSync(join(tmpdir(), "demo-fraud-")),
  batchIntervalMs: 500,
  fault,
  da,
  onChallengerLog: (line) => {
    if (line.includes("DISAGREES")) say(`agent: ${line}`);
  },
});
const { info, l1Client } = devnet;
const operator = info.operator.address;
const challenger = info.dispute.challenger!.address;
const client = (n: number) =>
  createRollupClient({ l1RpcUrl: info.l1.rpcUrl, l2RpcUrl: info.l2.rpcUrl, account: info.accounts[n]!.privateKey, pollingInterval: 50 });
const alice = client(0);
const bob = client(1);
const bond = (who: Address) => l1Client.readContract({ address: info.contracts.rollup, abi: rollupAbi, functionName: "bonds", args: [who] });
const challengerBefore = await l1Client.getBalance({ address: challenger });
say(`devnet up. Operator (proposer) ${operator} has a bond of ${formatEther(await bond(operator))} ETH on the rollup.`);
say(`Challenger agent ${challenger} has ${formatEther(challengerBefore)} ETH; a challenge costs a ${formatEther(BigInt(info.dispute.challengeBond))} ETH bond.`);

// ─── Narrator: every rollup and dispute-game event, in words ───────────────────────────────
let fromBlock = BigInt(info.deployBlock);
const posted = new Map<bigint, number>();
let resolvedGame = false;
let reposted = false;
let invalidatedFrom: bigint | undefined;
let challengerClaimed = false;
async function narrate(): Promise<void> {
  const head = await l1Client.getBlockNumber();
  if (head < fromBlock) return;
  const raw = await l1Client.getLogs({ address: [info.contracts.rollup, info.dispute.game], fromBlock, toBlock: head });
  fromBlock = head + 1n;
  for (const e of parseEventLogs({ abi: [...rollupAbi, ...disputeGameAbi], logs: raw })) {
    switch (e.eventName) {
      case "BatchSubmitted": {
        const a = e.args;
        const times = (posted.get(a.index) ?? 0) + 1;
        posted.set(a.index, times);
        const honest = await alice.getBatch({ index: Number(a.index) }).catch(() => undefined);
        const wrong = honest && (honest.postStateRoot !== a.postStateRoot || honest.withdrawalsRoot !== a.withdrawalsRoot || honest.stepsRoot !== a.stepsRoot);
        if (times > 1) {
          if (invalidatedFrom !== undefined && a.index === invalidatedFrom) reposted = true;
          say(`the sequencer RE-PROPOSES batch ${a.index}: post root ${short(a.postStateRoot)}, ${wrong ? "still wrong!" : "the honest one"}`);
        } else if (wrong) {
          say(`batch ${a.index} posted with a WRONG commitment: post root ${short(a.postStateRoot)}, withdrawals root ${short(a.withdrawalsRoot)};`);
          say(`  the sequencer's own (honest) execution gives post root ${short(honest.postStateRoot)}, withdrawals root ${short(honest.withdrawalsRoot)}`);
        } else {
          say(`batch ${a.index} posted (queue ${a.queueStart}..${a.queueEnd}, post root ${short(a.postStateRoot)})`);
        }
        break;
      }
      case "BatchDataPosted":
        say(`  its data is in ${e.args.blobHashes.length} blob(s) (versioned hash ${short(e.args.blobHashes[0]!)}), served on the devnet's Beacon API`);
        break;
      case "GameStarted":
        say(`CHALLENGE: game ${e.args.gameId} on batch ${e.args.batchIndex}, ${e.args.stepCount} steps; the agent posted its bond`);
        break;
      case "LeavesRevealed":
        say(`  defender opens: step hash 0 = ${short(e.args.firstLeaf)} (the agreed start), step hash n = ${short(e.args.lastLeaf)} (the disputed end)`);
        break;
      case "MidpointRevealed":
        say(`  defender reveals its step hash ${e.args.index} = ${short(e.args.leaf)}`);
        break;
      case "Bisected":
        say(`  challenger ${e.args.agreed ? "AGREES" : "DISAGREES"} (its own derivation ${e.args.agreed ? "has the same" : "differs"}) -> disputed range [${e.args.lo}, ${e.args.hi}]`);
        break;
      case "StepProven": {
        const receipt = await l1Client.getTransactionReceipt({ hash: e.transactionHash });
        const call = decodeFunctionData({ abi: disputeGameAbi, data: (await l1Client.getTransaction({ hash: e.transactionHash })).input });
        if (call.functionName === "proveBlobStep") {
          const openings = call.args[2].elements.length;
          say(`  the op is read from the blob: ${openings > 0 ? `${openings + 1} KZG openings (header + ${openings} field elements), each checked by the point-evaluation precompile` : "(no op at this step: no openings)"}`);
        }
        say(`ONE-STEP PROOF: L1 re-executed step ${e.args.step} (${receipt.gasUsed} gas) and got ${short(e.args.postStepHash)}; the proposer claimed ${short(e.args.claimed)}`);
        say(`  ${e.args.postStepHash === e.args.claimed ? "they match: the batch stands" : "they differ: FRAUD PROVEN"}`);
        break;
      }
      case "GameResolved":
        resolvedGame = true;
        say(`game ${e.args.gameId} resolved (${REASONS[e.args.reason]}): winner ${e.args.winner}, credited ${formatEther(e.args.payout)} ETH`);
        break;
      case "BondSlashed":
        say(`BOND: ${formatEther(e.args.amount)} ETH of ${e.args.proposer}'s bond slashed (left: ${formatEther(e.args.bond)} ETH): half to the challenger, half burned`);
        break;
      case "BatchesInvalidated":
        invalidatedFrom = e.args.fromIndex;
        say(`INVALIDATION: the rollup removes batches ${e.args.fromIndex}..${e.args.fromIndex + e.args.count - 1n}; the chain rolls back to batch ${e.args.fromIndex - 1n}`);
        break;
      case "BondDeposited":
        if (e.args.proposer === operator && resolvedGame) say(`the operator tops its bond up by ${formatEther(e.args.amount)} ETH (bond: ${formatEther(e.args.bond)} ETH)`);
        break;
      case "SlashBurned":
        say(`  ${formatEther(e.args.amount)} ETH of it burned (sent to the zero address): cheating costs the proposer even if it challenges itself`);
        break;
      case "CreditClaimed":
        if (e.args.account.toLowerCase() === challenger.toLowerCase()) challengerClaimed = true;
        say(`the agent claims its credit: ${formatEther(e.args.amount)} ETH to ${e.args.account}`);
        break;
    }
  }
}
let narrating = true;
// Narrates every 100 ms until told to stop, then once more for the last events.
const narrator = waitFor("the end of the demo", async () => {
  const last = !narrating;
  await narrate();
  return last;
}, { timeoutMs: 10 * 60_000 });

// ─── Users ─────────────────────────────────────────────────────────────────────────────────
const bobEth = info.accounts[1]!.l2Accounts!.ETH;
say("users act on L2: Alice sends Bob 0.1, 0.2 and 0.3 ETH, Bob withdraws 0.25 ETH, Alice deposits 1 ETH on L1");
for (let i = 1; i <= 3; i++) await alice.transfer({ toIdx: bobEth, amount: parseEther("0.1") * BigInt(i) });
const withdrawal = await bob.withdraw({ amount: parseEther("0.25") });
await alice.deposit({ accountIdx: info.accounts[0]!.l2Accounts!.ETH, tokenId: 0, amount: parseEther("1") });

await waitFor("the game to resolve", () => resolvedGame, { timeoutMs: 90_000 });
await waitFor("the honest re-proposal", async () => {
  const s = await alice.getRollupStatus();
  return reposted && s.openBatch === null && s.unconsumedQueueEntries === 0 && s.postedBatches === s.batches;
}, { timeoutMs: 90_000 });
// Once narrated, the claim is on L1 and its line is out before the balances.
await waitFor("the agent's claim", () => challengerClaimed, { timeoutMs: 90_000 });
const challengerAfter = await l1Client.getBalance({ address: challenger });
const gained = challengerAfter - challengerBefore;
const credited = BigInt(info.dispute.challengeBond) + parseEther("0.5");
say(`balances: challenger ${formatEther(challengerBefore)} -> ${formatEther(challengerAfter)} ETH: +${formatEther(credited)} credit`);
say(`  - ${formatEther(BigInt(info.dispute.challengeBond))} bond - ${formatEther(credited - BigInt(info.dispute.challengeBond) - gained)} gas = +${formatEther(gained)} ETH`);
say(`  operator bond 1 -> 0 (slashed) -> ${formatEther(await bond(operator))} ETH (topped up to re-propose)`);

// ─── Everyone can check: derive the L2 from L1 alone ───────────────────────────────────────
const pipeline = await createDerivationPipeline({ l1RpcUrl: info.l1.rpcUrl, contracts: info.contracts, beaconUrl: info.beacon.url, fromBlock: BigInt(info.deployBlock) });
const events = await pipeline.sync();
const status = await alice.getRollupStatus();
const rollbacks = events.filter((e) => e.kind === "rolledBack").length;
say(`a fresh derivation from L1${da === "blobs" ? " and the Beacon API" : ""} alone read ${events.length - rollbacks} batch postings and ${rollbacks} rollback(s):`);
say(`  derived state root ${short(pipeline.deriver.state.stateRoot)} ${pipeline.deriver.state.stateRoot === status.stateRoot ? "==" : "!="} the sequencer's ${short(status.stateRoot)}`);

// ─── Users lose nothing ────────────────────────────────────────────────────────────────────
const op = await bob.waitForOp({ hash: withdrawal.hash, status: "batched", timeout: 20_000 });
const w = (await bob.getWithdrawals()).find((x) => x.batch === op.batch && x.amount === parseEther("0.25"))!;
say(`warping L1 past the 7-day challenge window; Bob's 0.25 ETH withdrawal is in re-posted batch ${w.batch}`);
await devnet.warp(info.challengeWindow + 1);
const bobBefore = await l1Client.getBalance({ address: bob.account.address });
await alice.claimWithdrawal(w);
const bobAfter = await l1Client.getBalance({ address: bob.account.address });
say(`Bob's L1 balance: +${formatEther(bobAfter - bobBefore)} ETH (Alice paid the claim's gas): no user funds lost`);

narrating = false;
await narrator;
await devnet.stop();
say("done");
process.exit(0);
