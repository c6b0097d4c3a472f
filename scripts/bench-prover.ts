/**
 * Benchmarks ZK settlement at levels 8 (2^24 accounts) and nOps 4: constraints per slot, the
 * INSECURE dev setup's seconds (cold: --cold drops the cached key first), proving seconds per
 * transfer (one single-threaded prover worker, the ProverQueue default), the verifier's gas
 * and submitZkBatch's total gas on a Hardhat L1, and L1 bytes per transfer.
 *
 * @example
 * npm run bench:prover
 * npm run bench:prover -- --cold --json
 */
import { rmSync } from "node:fs";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { ContractFactory } from "ethers";
import { network } from "hardhat";
import { type Address, L1TransactionError, L2State, NO_TOKEN, QueueKind, buildCircuitInput, keccak256, publicKeyOf, resolveParams } from "../core/index.js";
import { buildCircuit } from "../prover/circuit.js";
import { ProverQueue, proofCalldata } from "../prover/prover.js";
import { setup } from "../prover/setup.js";
import { compileVerifier, generateVerifierSource, verifierName } from "../prover/verifier.js";
import { deployRollup } from "./lib/deploy-rollup.js";
import { buildSignedBatch } from "./lib/signed-batch.js";

const { values } = parseArgs({ options: { json: { type: "boolean", default: false }, cold: { type: "boolean", default: false } } });
const LEVELS = 8;
const N_OPS = 4;
const log = (line: string): void => {
  if (!values.json) console.log(line);
};
const quiet = values.json ? () => {} : undefined;

const one = await buildCircuit({ levels: LEVELS, nOps: 1 }, { log: quiet });
const two = await buildCircuit({ levels: LEVELS, nOps: 2 }, { log: quiet });
const build = await buildCircuit({ levels: LEVELS, nOps: N_OPS }, { log: quiet });
const perSlot = two.constraints - one.constraints;
log(`circuit levels ${LEVELS}, nOps ${N_OPS}: ${build.constraints} constraints, ${perSlot} per slot`);

if (values.cold) rmSync(join(build.dir, "setup"), { recursive: true, force: true });
const keys = await setup(build, { log: quiet });
log(`dev setup: ${keys.builtSeconds.toFixed(1)} s${keys.seconds === 0 ? " (cached; --cold to rerun)" : ""}`);

// L1: rollup at levels 8 with the generated verifier; alice and bob create accounts.
const { ethers } = await network.create();
const [deployer, , alice, bob] = await ethers.getSigners();
// The verifier first: the rollup's constructor fixes it with the circuit's slots.
const artifact = compileVerifier(await generateVerifierSource(keys.zkey, verifierName(build)), verifierName(build));
const verifier = await new ContractFactory(artifact.abi as never, artifact.bytecode, deployer).deploy();
await verifier.waitForDeployment();
const deployment = await deployRollup(ethers, { levels: LEVELS, zkVerifier: await verifier.getAddress(), zkSlots: N_OPS });
const { rollup, bridge } = deployment;
await rollup.grantRole(await rollup.PROPOSER_ROLE(), deployer!.address);
const queueFee: bigint = await bridge.queueFee();

// Deterministic L2 keys: any key does, proving time and gas do not depend on it.
const l2Key = (seed: number) => {
  const privateKey = keccak256(new TextEncoder().encode(`user ${seed}`));
  const { x, y } = publicKeyOf(privateKey);
  return { privateKey, Ax: x, Ay: y };
};
const [aliceKey, bobKey] = [l2Key(1), l2Key(2)];
const amount = 10n ** 18n;
await bridge.connect(alice!).createAccount(0, amount, aliceKey.Ax, aliceKey.Ay, { value: amount + queueFee });
await bridge.connect(bob!).createAccount(0, amount, bobKey.Ax, bobKey.Ay, { value: amount + queueFee });

// The batch: both creations, then a transfer and a withdrawal.
const domain = BigInt(await rollup.domain());
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
const batch = buildSignedBatch({
  state,
  domain,
  holders: new Map([
    [2, aliceKey],
    [3, bobKey],
  ]),
  queueEntries: [create(alice!.address, aliceKey), create(bob!.address, bobKey)],
  drafts: [
    { fromIdx: 2, toIdx: 3, amount: 10n ** 15n, fee: 1n },
    { fromIdx: 3, toIdx: 1, amount: 10n ** 15n, fee: 1n },
  ],
  feeRecipient: deployer!.address.toLowerCase() as Address,
  feeTokens: [0, 1, NO_TOKEN, NO_TOKEN],
});
const built = buildCircuitInput({ state, batch, domain, queueHashStart: 0n, nOps: N_OPS });
const queue = new ProverQueue({ wasm: build.wasm, zkey: keys.zkey });
const { proof, seconds } = await queue.submit(built.input);
await queue.close();
log(`prove (1 worker, single-threaded curve): ${seconds.toFixed(1)} s for ${N_OPS} slots, ${(seconds / N_OPS).toFixed(2)} s per transfer`);

const calldata = proofCalldata(proof);
const pA = [calldata[0], calldata[1]];
const pB = [
  [calldata[2], calldata[3]],
  [calldata[4], calldata[5]],
];
const pC = [calldata[6], calldata[7]];
const verifyGas = Number(await verifier.getFunction("verifyProof").estimateGas(pA, pB, pC, [built.publicInput])) - 21_000;
const tx = await rollup.submitZkBatch(
  {
    queueEnd: 2n,
    postStateRoot: built.result.postStateRoot,
    withdrawalsRoot: built.result.withdrawalsRoot,
    feeRecipient: batch.feeRecipient,
    feeTokens: batch.feeTokens,
  },
  built.payload,
  built.commitment.c,
  calldata,
);
const receipt = await tx.wait();
if (!(await rollup.isFinal(0))) {
  throw new L1TransactionError("the ZK batch is not final after submitZkBatch", {
    txHash: receipt!.hash as `0x${string}`,
    details: "a verified ZK batch is final at once: Rollup.submitZkBatch did not mark it",
  });
}
const bytesPerTransfer = built.payload.length / batch.ops.length;
log(`verifier call: ${verifyGas} gas (execution, without the 21,000 base)`);
log(`submitZkBatch (2 queue entries + 2 transfers, final at once): ${receipt!.gasUsed} gas`);
log(`L1 bytes per transfer: ${bytesPerTransfer}`);

const result = {
  constraintsPerTransfer: perSlot,
  accountsLog2: 3 * LEVELS,
  batchSize: N_OPS,
  setupSeconds: Number(keys.builtSeconds.toFixed(1)),
  proveSecondsPerTransfer: Number((seconds / N_OPS).toFixed(2)),
  verifyGas,
  submitZkBatchGas: Number(receipt!.gasUsed),
  bytesPerTransfer,
};
if (values.json) console.log(JSON.stringify(result));
process.exit(0);
