/**
 * Benchmarks ZK settlement at levels 8 (2^24 accounts) over circuit sizes: for each slot count,
 * the constraints, the INSECURE dev setup's seconds (--cold drops the cached key first), the
 * proving seconds of a full batch (one proving process on snarkjs' multi-threaded curve, the
 * prover's default), the verifier's gas, and submitZkBatch's gas for a full batch of transfers
 * on a Hardhat L1, per transfer. For comparisons in the same run, --snarkjs also proves the full
 * batch with snarkjs' own groth16.prove on its multi-threaded curve in this process, and
 * --baseline on a single-threaded curve (how the prover ran before: one worker thread); every
 * proof is checked with snarkjs' verifier, besides the generated Solidity one on L1.
 *
 * @example
 * npm run bench:prover                               # the default slots (DEFAULT_ZK_SLOTS)
 * npm run bench:prover -- --json                     # last line: JSON
 * npm run bench:prover -- --slots 4,8,16,32          # the curve, as a table
 * npm run bench:prover -- --slots 4 --cold --baseline
 * npm run bench:prover -- --snarkjs
 */
import { readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { ContractFactory } from "ethers";
import { network } from "hardhat";
import * as snarkjs from "snarkjs";
import {
  type Address,
  type Batch,
  type L2State as L2StateType,
  InvalidParameterError,
  InvariantViolationError,
  L1TransactionError,
  L2State,
  NO_TOKEN,
  QueueKind,
  applyBatch,
  buildCircuitInput,
  keccak256,
  publicKeyOf,
  resolveParams,
} from "../core/index.js";
import { DEFAULT_ZK_SLOTS } from "../devnet/options.js";
import { buildCircuit } from "../prover/circuit.js";
import { ProverQueue, proofCalldata } from "../prover/prover.js";
import { setup } from "../prover/setup.js";
import { compileVerifier, generateVerifierSource, verifierName } from "../prover/verifier.js";
import { deployRollup } from "./lib/deploy-rollup.js";
import { type OpDraft, buildSignedBatch } from "./lib/signed-batch.js";

const { values } = parseArgs({
  options: {
    json: { type: "boolean", default: false },
    cold: { type: "boolean", default: false },
    baseline: { type: "boolean", default: false },
    snarkjs: { type: "boolean", default: false },
    slots: { type: "string", default: String(DEFAULT_ZK_SLOTS) },
  },
});
const LEVELS = 8;
const slotCounts = values.slots.split(",").map(Number);
if (slotCounts.some((n) => !Number.isInteger(n) || n < 2)) {
  throw new InvalidParameterError(`--slots must list slot counts of at least 2, got ${values.slots}`, { details: "e.g. --slots 4,8,16,32" });
}
const log = (line: string): void => {
  if (!values.json) console.log(line);
};
const quiet = values.json ? () => {} : undefined;

const one = await buildCircuit({ levels: LEVELS, nOps: 1 }, { log: quiet });
const two = await buildCircuit({ levels: LEVELS, nOps: 2 }, { log: quiet });
const perSlot = two.constraints - one.constraints;
log(`levels ${LEVELS}: ${perSlot} constraints per slot`);

const { ethers } = await network.create();
const [deployer, , alice, bob] = await ethers.getSigners();
// Deterministic L2 keys: any key does, proving time and gas do not depend on it.
const l2Key = (seed: number) => {
  const privateKey = keccak256(new TextEncoder().encode(`user ${seed}`));
  const { x, y } = publicKeyOf(privateKey);
  return { privateKey, Ax: x, Ay: y };
};
const [aliceKey, bobKey] = [l2Key(1), l2Key(2)];
const holders = new Map([
  [2, aliceKey],
  [3, bobKey],
]);
const amount = 10n ** 18n;
const feeRecipient = deployer!.address.toLowerCase() as Address;
const feeTokens = [0, 1, NO_TOKEN, NO_TOKEN];

interface Row {
  slots: number;
  constraints: number;
  setupSeconds: number;
  proveSeconds: number;
  proveSecondsPerTransfer: number;
  singleThreadSeconds?: number;
  snarkjsSeconds?: number;
  verifyGas: number;
  submitZkBatchGas: number;
  zkL1GasPerTransfer: number;
  bytesPerTransfer: number;
}

async function measure(slots: number): Promise<Row> {
  const build = await buildCircuit({ levels: LEVELS, nOps: slots }, { log: quiet });
  if (values.cold) rmSync(join(build.dir, "setup"), { recursive: true, force: true });
  const keys = await setup(build, { log: quiet });
  log(`${slots} slots: ${build.constraints} constraints; dev setup ${keys.builtSeconds.toFixed(1)} s${keys.seconds === 0 ? " (cached; --cold to rerun)" : ""}`);

  // L1: the verifier first (the rollup's constructor fixes it with the circuit's slots).
  const artifact = compileVerifier(await generateVerifierSource(keys.zkey, verifierName(build)), verifierName(build));
  const verifier = await new ContractFactory(artifact.abi as never, artifact.bytecode, deployer).deploy();
  await verifier.waitForDeployment();
  const { rollup, bridge } = await deployRollup(ethers, { levels: LEVELS, zkVerifier: await verifier.getAddress(), zkSlots: slots });
  await rollup.grantRole(await rollup.PROPOSER_ROLE(), deployer!.address);
  const queueFee: bigint = await bridge.queueFee();
  await bridge.connect(alice!).createAccount(0, amount, aliceKey.Ax, aliceKey.Ay, { value: amount + queueFee });
  await bridge.connect(bob!).createAccount(0, amount, bobKey.Ax, bobKey.Ay, { value: amount + queueFee });
  const domain = BigInt(await rollup.domain());
  const queue = new ProverQueue({ wasm: build.wasm, zkey: keys.zkey });

  const submit = async (state: L2StateType, batch: Batch, queueHashStart: bigint, queueEnd: bigint) => {
    const built = buildCircuitInput({ state, batch, domain, queueHashStart, nOps: slots });
    const { proof, seconds } = await queue.submit(built.input);
    const calldata = proofCalldata(proof);
    const s = { queueEnd, postStateRoot: built.result.postStateRoot, withdrawalsRoot: built.result.withdrawalsRoot, feeRecipient, feeTokens };
    const receipt = await (await rollup.submitZkBatch(s, built.payload, built.commitment.c, calldata)).wait();
    return { built, proof, calldata, seconds, receipt: receipt! };
  };
  // Batch 0 creates the accounts; batch 1 is full of transfers, back and forth.
  const state = L2State.genesis(resolveParams({ levels: LEVELS }));
  const create = (who: string, key: typeof aliceKey) => ({
    kind: QueueKind.CreateAccount,
    l1Address: who.toLowerCase() as Address,
    tokenId: 0,
    accountIdx: 0,
    amount,
    Ax: key.Ax,
    Ay: key.Ay,
  });
  const creations = buildSignedBatch({ state, domain, holders, queueEntries: [create(alice!.address, aliceKey), create(bob!.address, bobKey)], drafts: [], feeRecipient, feeTokens });
  await submit(state, creations, 0n, 2n);
  const funded = state.clone();
  applyBatch(funded, creations, { domain, mode: "zk" });
  const drafts: OpDraft[] = Array.from({ length: slots }, (_, i) => ({ fromIdx: 2 + (i % 2), toIdx: 3 - (i % 2), amount: 10n ** 15n, fee: 1n }));
  const transfers = buildSignedBatch({ state: funded, domain, holders, queueEntries: [], drafts, feeRecipient, feeTokens });
  const full = await submit(funded, transfers, BigInt(await bridge.queueHash(2)), 2n);
  await queue.close();
  if (!(await rollup.isFinal(1))) {
    throw new L1TransactionError("the full ZK batch is not final after submitZkBatch", {
      txHash: full.receipt.hash as `0x${string}`,
      details: "a verified ZK batch is final at once: Rollup.submitZkBatch did not mark it",
    });
  }
  const pA = [full.calldata[0], full.calldata[1]];
  const pB = [
    [full.calldata[2], full.calldata[3]],
    [full.calldata[4], full.calldata[5]],
  ];
  const pC = [full.calldata[6], full.calldata[7]];
  const verifyGas = Number(await verifier.getFunction("verifyProof").estimateGas(pA, pB, pC, [full.built.publicInput])) - 21_000;
  const submitZkBatchGas = Number(full.receipt.gasUsed);
  const row: Row = {
    slots,
    constraints: build.constraints,
    setupSeconds: Number(keys.builtSeconds.toFixed(1)),
    proveSeconds: Number(full.seconds.toFixed(1)),
    proveSecondsPerTransfer: Number((full.seconds / slots).toFixed(2)),
    verifyGas,
    submitZkBatchGas,
    zkL1GasPerTransfer: Math.round(submitZkBatchGas / slots),
    bytesPerTransfer: full.built.payload.length / slots,
  };
  log(`${slots} slots: proved a full batch in ${full.seconds.toFixed(1)} s (${row.proveSecondsPerTransfer} s per transfer, one process on every core)`);
  const verificationKey = JSON.parse(readFileSync(keys.verificationKey, "utf8")) as object;
  if (!(await snarkjs.groth16.verify(verificationKey, [full.built.publicInput.toString()], full.proof as snarkjs.Groth16Proof))) {
    throw new InvariantViolationError("snarkjs' verifier refuses the prover's proof", { details: "proveGroth16 (prover/groth16.ts) and snarkjs disagree: a bug" });
  }
  // snarkjs' own prover, in this plain process, on a multi-threaded or a single-threaded curve.
  const snarkjsProve = async (singleThread: boolean): Promise<number> => {
    const curve = await snarkjs.curves.getCurveFromName("bn128", { singleThread });
    (globalThis as { curve_bn128?: unknown }).curve_bn128 = curve;
    const started = performance.now();
    const witness: { type: "mem"; data?: Uint8Array } = { type: "mem" };
    await snarkjs.wtns.calculate(full.built.input, build.wasm, witness);
    await snarkjs.groth16.prove(keys.zkey, witness);
    const seconds = Number(((performance.now() - started) / 1000).toFixed(1));
    await curve.terminate();
    (globalThis as { curve_bn128?: unknown }).curve_bn128 = undefined;
    return seconds;
  };
  if (values.snarkjs) {
    row.snarkjsSeconds = await snarkjsProve(false);
    log(`${slots} slots: snarkjs' groth16.prove on both cores: ${row.snarkjsSeconds} s, ${(row.snarkjsSeconds / full.seconds).toFixed(2)}x slower`);
  }
  if (values.baseline) {
    row.singleThreadSeconds = await snarkjsProve(true);
    log(`${slots} slots: snarkjs on a single-threaded curve (the old worker-thread prover): ${row.singleThreadSeconds} s, ${(row.singleThreadSeconds / full.seconds).toFixed(2)}x slower`);
  }
  log(`${slots} slots: verifier ${verifyGas} gas; submitZkBatch of ${slots} transfers ${submitZkBatchGas} gas, ${row.zkL1GasPerTransfer} per transfer`);
  return row;
}

const rows: Row[] = [];
for (const slots of slotCounts) rows.push(await measure(slots));

if (!values.json && rows.length > 1) {
  console.log("\n| slots | constraints | dev setup (s) | proof of a full batch (s) | proving s/transfer | submitZkBatch gas (full batch) | L1 gas/transfer |");
  console.log("| ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
  for (const r of rows) {
    console.log(
      `| ${r.slots} | ${r.constraints.toLocaleString("en")} | ${r.setupSeconds} | ${r.proveSeconds} | ${r.proveSecondsPerTransfer} | ${r.submitZkBatchGas.toLocaleString("en")} | ${r.zkL1GasPerTransfer.toLocaleString("en")} |`,
    );
  }
}
const last = rows.at(-1)!;
const result = {
  constraintsPerTransfer: perSlot,
  accountsLog2: 3 * LEVELS,
  slots: last.slots,
  batchSize: last.slots,
  constraints: last.constraints,
  setupSeconds: last.setupSeconds,
  proveSeconds: last.proveSeconds,
  proveSecondsPerTransfer: last.proveSecondsPerTransfer,
  ...(last.snarkjsSeconds === undefined ? {} : { snarkjsProveSeconds: last.snarkjsSeconds }),
  ...(last.singleThreadSeconds === undefined ? {} : { singleThreadProveSeconds: last.singleThreadSeconds }),
  verifyGas: last.verifyGas,
  submitZkBatchGas: last.submitZkBatchGas,
  zkL1GasPerTransfer: last.zkL1GasPerTransfer,
  bytesPerTransfer: last.bytesPerTransfer,
  ...(rows.length > 1 ? { curve: rows } : {}),
};
if (values.json) console.log(JSON.stringify(result));
process.exit(0);
