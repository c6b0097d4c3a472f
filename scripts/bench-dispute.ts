/**
 * npm run bench:dispute [-- --da calldata|blobs] [-- --json]
 *
 * Gas of a whole dispute game on the devnet: a batch of 64 L2 transfers (posted as calldata,
 * or in a blob with --da blobs, where the op is read through KZG openings) whose proposer
 * credits one unit too many in the transfer nearest the middle (fault wrong-root), the
 * challenger agent against the faulty proposer's defence, to the one-step proof. Prints the
 * gas of every move and of the one-step proof (an Applied transfer at levels 8: the costliest
 * step kind). With --json the last line is
 * {"oneStepProofGas": n, "disputeGasTotal": n, "moves": n, "batchSize": n, "da": "calldata" | "blobs"}.
 */
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { decodeFunctionData } from "viem";
import { createRollupClient } from "../client/index.js";
import { GameStatus, InvalidParameterError, InvariantViolationError, buildStepWitness, disputeGameAbi, oneStepProverAbi, opRecordSize, stepContext, stepOp } from "../core/index.js";
import { waitFor } from "../core/wait.js";
import { CHALLENGER_ACCOUNT, devAccounts } from "../devnet/accounts.js";
import { startDevnet } from "../devnet/start.js";
import { startChallengerAgent } from "../sequencer/challenger/agent.js";

const BATCH_OPS = 64;
const { values } = parseArgs({ options: { json: { type: "boolean", default: false }, da: { type: "string", default: "calldata" } } });
if (values.da !== "calldata" && values.da !== "blobs") {
  throw new InvalidParameterError(`--da is calldata or blobs, got ${values.da}`, { details: "run `npm run bench:dispute -- --da blobs`, or leave --da out for calldata" });
}
const da = values.da;
const log = (line: string) => {
  if (!values.json) console.log(line);
};

const devnet = await startDevnet({
  l1Port: 0,
  l2Port: 0,
  dataDir: mkdtempSync(join(tmpdir(), "bench-dispute-")),
  batchSize: BATCH_OPS,
  batchIntervalMs: 4_000,
  challenger: false,
  da,
  fault: { kind: "wrong-root", batch: 1 },
  dashboard: false,
});
const { info, l1Client } = devnet;
const alice = createRollupClient({ l1RpcUrl: info.l1.rpcUrl, l2RpcUrl: info.l2.rpcUrl, account: info.accounts[0]!.privateKey, pollingInterval: 50 });
// Batch 0 holds the dev accounts' queue entries; batch 1 gets exactly BATCH_OPS transfers.
await waitFor("the funding batch", async () => {
  const s = await alice.getRollupStatus();
  return s.batches >= 1 && s.openBatch === null;
}, { timeoutMs: 120_000 });
const bobEth = info.accounts[1]!.l2Accounts!.ETH;
for (let i = 0; i < BATCH_OPS; i++) await alice.transfer({ toIdx: bobEth, amount: 1000n + BigInt(i) });

const agent = await startChallengerAgent(
  { l1RpcUrl: info.l1.rpcUrl, contracts: info.contracts, fromBlock: info.deployBlock, challengerKey: devAccounts(CHALLENGER_ACCOUNT + 1)[CHALLENGER_ACCOUNT]!.privateKey, pollIntervalMs: 100, beaconUrl: info.beacon?.url },
  (line) => log(`  agent: ${line}`),
);
// The disputed batch as the agent derived it, kept before the agent rolls it back on invalidation.
let disputed: ReturnType<typeof agent.pipeline.deriver.batch>;
await waitFor("the game to end", async () => {
  disputed = agent.pipeline.deriver.batch(1)?.report.agrees === false ? agent.pipeline.deriver.batch(1) : disputed;
  if (Number(await l1Client.readContract({ address: info.dispute.game, abi: disputeGameAbi, functionName: "gameCount" })) === 0) return false;
  const g = await l1Client.readContract({ address: info.dispute.game, abi: disputeGameAbi, functionName: "game", args: [0n] });
  return g.status === GameStatus.ChallengerWon;
}, { timeoutMs: 120_000 });

// Every transaction to the game, in order, with its gas.
const moves: { move: string; detail: string; gas: bigint }[] = [];
const head = await l1Client.getBlockNumber();
for (let n = BigInt(info.deployBlock); n <= head; n++) {
  const block = await l1Client.getBlock({ blockNumber: n, includeTransactions: true });
  for (const tx of block.transactions) {
    if (tx.to?.toLowerCase() !== info.dispute.game) continue;
    const call = decodeFunctionData({ abi: disputeGameAbi, data: tx.input });
    if (call.functionName === "claimCredit") continue;
    const receipt = await l1Client.getTransactionReceipt({ hash: tx.hash });
    const detail =
      call.functionName === "answer"
        ? call.args[1] ? "agree" : "disagree"
        : call.functionName === "proveStep"
          ? `one ${(call.args[2].record.length - 2) / 2}-byte op and ${call.args[2].path.length} opsRoot siblings`
          : call.functionName === "proveBlobStep"
            ? `${call.args[2].elements.length + 1} KZG openings (point evaluation)`
            : "";
    moves.push({ move: call.functionName, detail, gas: receipt.gasUsed });
  }
}
const game = await l1Client.readContract({ address: info.dispute.game, abi: disputeGameAbi, functionName: "game", args: [0n] });

// The one-step proof alone (OneStepProver.proveStep) for the disputed step.
await agent.stop();
if (!disputed || BigInt(disputed.report.index) !== game.batchIndex) {
  throw new InvariantViolationError(`the agent never derived disputed batch ${game.batchIndex}`, { details: "the agent derives batch 1 before it challenges it; check its log lines above (run without --json)" });
}
const batch = disputed;
const step = buildStepWitness(batch.preState!, batch.decoded.batch, agent.pipeline.domain, game.lo);
const ctx = stepContext(batch.decoded.batch, { levels: info.levels, domain: agent.pipeline.domain, queueStart: batch.decoded.header.queueStart });
const proverGas = await l1Client.estimateContractGas({
  address: info.contracts.oneStepProver,
  abi: oneStepProverAbi,
  functionName: "proveStep",
  args: [ctx, stepOp(batch.decoded.payload, ctx, game.lo, opRecordSize(agent.pipeline.params, "optimistic")), BigInt(game.lo), step.pre, step.proof],
});
await devnet.stop();

const proveStepGas = moves.find((m) => m.move === "proveStep" || m.move === "proveBlobStep")!.gas;
const total = moves.reduce((s, m) => s + m.gas, 0n);
const fmt = (n: bigint) => n.toLocaleString("en-US");
log(`\nDispute game over a ${da} batch of ${game.stepCount} steps (${BATCH_OPS} L2 transfers + 4 fee payouts), levels ${info.levels}; wrong step ${game.lo} (${step.kind}, ${step.outcome})\n`);
log("| # | move | detail | gas |");
log("| ---: | --- | --- | ---: |");
moves.forEach((m, i) => log(`| ${i + 1} | ${m.move} | ${m.detail} | ${fmt(m.gas)} |`));
log(`\nmoves: ${moves.length}; total ${fmt(total)} gas`);
log(`one-step proof (DisputeGame.${da === "blobs" ? "proveBlobStep" : "proveStep"} transaction): ${fmt(proveStepGas)} gas`);
log(`OneStepProver.proveStep alone for that step (an Applied transfer, levels ${info.levels}): ${fmt(proverGas)} gas`);
if (values.json) {
  console.log(JSON.stringify({ oneStepProofGas: Number(proveStepGas), disputeGasTotal: Number(total), moves: moves.length, batchSize: BATCH_OPS, da }));
}
process.exit(0);
