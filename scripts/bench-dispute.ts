/**
 * npm run bench:dispute [-- --da calldata|blobs] [-- --json]
 *
 * Gas of a whole dispute game on the devnet: a batch of 64 L2 transfers (posted as calldata,
 * or in a blob with --da blobs, where the op is read through KZG openings) whose proposer
 * credits one unit too many in the transfer nearest the middle (fault wrong-root), the
 * challenger agent against the faulty proposer's defence, to the one-step proof. Prints the
 * gas of every move and of the one-step proof (an Applied transfer at levels 8: the costliest
 * step kind).
 *
 * Then, for calldata, the one-step proofs of the largest batches the rollup accepts, on an
 * in-process Hardhat L1 with the devnet's parameters (scripts/lib/largest-batch.ts): the most
 * ops one transaction carries (zero-byte records, then non-zero ones), wrong at the last op,
 * an Applied signed transfer; and a queue-only batch of 32,764 steps, wrong at its last.
 * Exits non-zero if one costs more than 2^23 gas (docs/protocol.md §10).
 *
 * With --json the last line is {"oneStepProofGas": n, "disputeGasTotal": n, "moves": n,
 * "batchSize": n, "da": "calldata" | "blobs"}, with, for calldata, "maxBatchOneStepProofGas"
 * (the whole proveStep transaction, calldata floor included), "maxBatchOps",
 * "maxBatchOpsRootDepth" and "queueOnlyLastStepGas".
 */
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { network } from "hardhat";
import { keccak_256 } from "@noble/hashes/sha3.js";
import { decodeFunctionData } from "viem";
import { createRollupClient } from "../client/index.js";
import {
  type Address,
  type QueueEntry,
  GameStatus,
  InvalidParameterError,
  InvariantViolationError,
  L2State,
  MAX_BATCH_OPS,
  NO_TOKEN,
  QueueKind,
  buildStepWitness,
  disputeGameAbi,
  encodeFloat40,
  encodeFloat8,
  l2OpMessage,
  oneStepProverAbi,
  opRecordSize,
  publicKeyOf,
  resolveParams,
  signMessage,
  stepContext,
  stepOp,
} from "../core/index.js";
import { waitFor } from "../core/wait.js";
import { CHALLENGER_ACCOUNT, devAccounts } from "../devnet/accounts.js";
import { startDevnet } from "../devnet/start.js";
import { startChallengerAgent } from "../sequencer/challenger/agent.js";
import { type TypedContract, deployRollup } from "./lib/deploy-rollup.js";
import { devnetParameters } from "./lib/devnet-parameters.js";
import { challengeBatch, playDispute, provingTrace, submitProposedBatch } from "./lib/hardhat-dispute.js";
import { type WrongBatch, ONE_STEP_PROOF_GAS_LIMIT, TX_GAS_CAP, largestCalldataBatch, queueOnlyBatch } from "./lib/largest-batch.js";

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

const largest = da === "calldata" ? await largestBatchProofs() : undefined;
if (largest) {
  log(`\nOne-step proofs of the largest batches, levels ${largest.levels}, the devnet's parameters (in-process Hardhat L1, osaka rules: 2^24 gas per transaction, EIP-7623 floor)\n`);
  log("| batch | L2 ops | steps | opsRoot depth | submitBatch gas | game moves | last move | gas | whole game, challenge included |");
  log("| --- | ---: | ---: | ---: | ---: | ---: | --- | ---: | ---: |");
  for (const r of largest.rows) {
    log(`| ${r.batch} | ${fmt(BigInt(r.ops))} | ${fmt(BigInt(r.steps))} | ${r.depth} | ${fmt(r.submitGas)} | ${r.moves} | ${r.lastMove} (step ${fmt(BigInt(r.step))}, ${r.outcome}) | ${fmt(r.proveGas)} | ${fmt(r.gameGas)} |`);
  }
  log(`\nlimit of a one-step proof: 2^23 = ${fmt(ONE_STEP_PROOF_GAS_LIMIT)} gas`);
}
if (values.json) {
  console.log(
    JSON.stringify({
      oneStepProofGas: Number(proveStepGas),
      disputeGasTotal: Number(total),
      moves: moves.length,
      batchSize: BATCH_OPS,
      da,
      ...(largest
        ? {
            maxBatchOneStepProofGas: Number(largest.maxBatchOneStepProofGas),
            maxBatchOps: largest.rows[0]!.ops,
            maxBatchOpsRootDepth: largest.rows[0]!.depth,
            queueOnlyLastStepGas: Number(largest.rows[2]!.proveGas),
          }
        : {}),
    }),
  );
}
const overLimit = largest?.rows.find((r) => r.proveGas > ONE_STEP_PROOF_GAS_LIMIT);
if (overLimit) {
  console.error(`the one-step proof of the ${overLimit.batch} batch costs ${fmt(overLimit.proveGas)} gas, above 2^23 = ${fmt(ONE_STEP_PROOF_GAS_LIMIT)}`);
  process.exit(1);
}
process.exit(0);

/**
 * Plays a game to the one-step proof against each of the largest batches the rollup accepts,
 * on an in-process Hardhat L1 with the devnet's parameters: the largest calldata batch of
 * zero-byte records and of non-zero records (sender 0x7f7f7f, an empty slot), each wrong at
 * its last op, a transfer from alice to bob (Applied, signature checked: the costliest step
 * kind); and the queue-only batch of MAX_BATCH_OPS forced exits (of an account that does not
 * exist), flooded through the bridge by a contract, wrong at its last step.
 */
async function largestBatchProofs() {
  const parameters = devnetParameters();
  const params = resolveParams({ levels: parameters.levels });
  const { ethers, networkHelpers } = await network.create();
  const [, proposer, aliceSigner, bobSigner, watcher, keeper] = await ethers.getSigners();
  const deployment = await deployRollup(ethers, parameters);
  const { rollup, bridge, game } = deployment;
  await (await rollup.grantRole(await rollup.PROPOSER_ROLE(), proposer!.address)).wait();
  await (await rollup.connect(proposer!).depositBond({ value: parameters.minBond })).wait();
  const domain: bigint = await rollup.domain();
  const feeRecipient = "0x000000000000000000000000000000000000fee5" as Address;
  const feeTokens = [0, NO_TOKEN, NO_TOKEN, NO_TOKEN];
  const fullClock = parameters.clockPrice * parameters.clockBudget;

  /** Submits `batch`, challenges it with the whole clock and plays the game to its end. */
  const dispute = async (label: string, batch: WrongBatch, ops: number) => {
    const { header, gasUsed: submitGas } = await submitProposedBatch({ rollup, bridge }, proposer!, batch, { gasLimit: TX_GAS_CAP });
    const gameId = await challengeBatch(game, watcher!, header, fullClock);
    const challengeGas = (await ethers.provider.getBlock("latest"))!.gasUsed;
    const record = await playDispute({
      game,
      gameId,
      batch: { header, data: batch.payload },
      defender: { signer: proposer!, trace: batch.claimed },
      challenger: { signer: watcher!, trace: provingTrace(batch, domain) },
      keeper: keeper!,
      increaseTime: (seconds) => networkHelpers.time.increase(seconds),
    });
    const g = await game.game(gameId);
    const last = record.moves.at(-1)!;
    if (Number(g.status) !== GameStatus.ChallengerWon || Number(g.lo) !== batch.wrongStep || last.move !== "proveStep") {
      throw new InvariantViolationError(`the ${label} game ended ${g.status} at step ${g.lo} by ${last.move}, not by a proof of step ${batch.wrongStep}`, {
        details: "the honest challenger bisects to the batch's wrong step and proves it: check scripts/lib/hardhat-dispute.ts",
      });
    }
    const step = batch.result.steps[batch.wrongStep]!;
    return {
      batch: label,
      ops,
      steps: batch.claimed.stepCount,
      depth: ops === 0 ? 0 : Math.ceil(Math.log2(ops)),
      submitGas,
      moves: record.moves.length,
      lastMove: last.move,
      step: batch.wrongStep,
      outcome: `${step.kind} ${step.outcome}`,
      proveGas: last.gasUsed,
      gameGas: record.moves.reduce((sum, m) => sum + m.gasUsed, challengeGas),
    };
  };

  const bonded = await networkHelpers.takeSnapshot();

  // Alice and bob create their L2 accounts; the batch consumes the two entries first.
  const key = (seed: string) => {
    const privateKey = keccak_256(new TextEncoder().encode(seed));
    return { privateKey, ...publicKeyOf(privateKey) };
  };
  const [alice, bob] = [key("bench-dispute alice"), key("bench-dispute bob")];
  const queueEntries: QueueEntry[] = [];
  for (const [signer, k, amount] of [[aliceSigner!, alice, 10n ** 19n], [bobSigner!, bob, 5n * 10n ** 18n]] as const) {
    await (await bridge.connect(signer).createAccount(0, amount, k.x, k.y, { value: amount + parameters.queueFee })).wait();
    queueEntries.push({ kind: QueueKind.CreateAccount, l1Address: signer.address.toLowerCase() as Address, tokenId: 0, accountIdx: 0, amount, Ax: k.x, Ay: k.y });
  }
  const unsigned = { fromIdx: 2, toIdx: 3, amountFloat40: encodeFloat40(10n ** 18n), feeFloat8: encodeFloat8(10n ** 16n) };
  const lastOp = { ...unsigned, signature: signMessage(alice.privateKey, l2OpMessage(unsigned, { tokenId: 0, nonce: 0 }, domain)) };
  const withAccounts = await networkHelpers.takeSnapshot();

  const rows = [];
  const recordSize = opRecordSize(params, "optimistic");
  for (const [label, filler] of [["zero-byte records", new Uint8Array(recordSize)], ["non-zero records", new Uint8Array(recordSize).fill(0x7f)]] as const) {
    const batch = largestCalldataBatch({ state: L2State.genesis(params), domain, queueStart: 0n, queueEntries, lastOp, filler, feeRecipient, feeTokens });
    rows.push(await dispute(label, batch, batch.ops));
    await withAccounts.restore();
  }

  // The queue-only batch: the queue holds MAX_BATCH_OPS forced exits, nothing else.
  await bonded.restore();
  const flooder = (await ethers.deployContract("QueueFlooder", [await bridge.getAddress()])) as unknown as TypedContract<"flood">;
  const perTransaction = 220; // about 72,800 gas each, under the 2^24 cap
  for (let done = 0; done < MAX_BATCH_OPS; done += perTransaction) {
    const count = Math.min(perTransaction, MAX_BATCH_OPS - done);
    await (await flooder.flood(2, count, { value: parameters.queueFee * BigInt(count), gasLimit: TX_GAS_CAP })).wait();
  }
  const exit: QueueEntry = { kind: QueueKind.ForcedExit, l1Address: (await flooder.getAddress()).toLowerCase() as Address, tokenId: 0, accountIdx: 2, amount: 0n, Ax: 0n, Ay: 0n };
  rows.push(await dispute("queue-only", queueOnlyBatch({ state: L2State.genesis(params), domain, queueStart: 0n, entry: exit, feeRecipient, feeTokens }), 0));
  const maxBatchOneStepProofGas = rows.slice(0, 2).reduce((max, r) => (r.proveGas > max ? r.proveGas : max), 0n);
  return { levels: parameters.levels, rows, maxBatchOneStepProofGas };
}
