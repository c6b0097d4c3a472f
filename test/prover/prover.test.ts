import { expect } from "chai";
import { readFileSync } from "node:fs";
import * as snarkjs from "snarkjs";
import { type Outcome } from "../../core/index.js";
import { releaseSnarkjsCurve } from "../../prover/curve.js";
import { ProverJobError } from "../../prover/errors.js";
import { ProverQueue, proofCalldata } from "../../prover/prover.js";
import { buildCircuitInput } from "../../core/zk-witness.js";
import { ETH, TOKEN, type User, createAccount, domain, stateWith } from "../core/fixtures.js";
import { ZK_SLOTS, randomBatch, signedBatch, users, zkTestKeys } from "./zk-fixture.js";

const [alice, bob, carol] = users as [User, User, User];
const holders = new Map<number, User>([
  [2, alice],
  [3, bob],
  [4, carol],
]);
const baseState = () => stateWith([createAccount(alice, ETH, 1000n), createAccount(bob, ETH, 500n), createAccount(carol, TOKEN, 700n)]);

describe("prover (levels 2, 4 slots, INSECURE dev setup)", function () {
  this.timeout(300_000);
  let queue: ProverQueue;
  let verificationKey: object;

  before(async () => {
    const { build, keys } = await zkTestKeys();
    expect(keys.kind).to.equal("dev");
    verificationKey = JSON.parse(readFileSync(keys.verificationKey, "utf8")) as object;
    queue = new ProverQueue({ wasm: build.wasm, zkey: keys.zkey, workers: 2 });
  });

  after(async () => {
    await queue?.close();
    await releaseSnarkjsCurve();
  });

  it("setup_secondCall_reusesCachedKey", async () => {
    const { build } = await zkTestKeys();
    const { setup } = await import("../../prover/setup.js");
    const again = await setup(build, { log: () => {} });
    expect(again.seconds).to.equal(0);
    expect(again.builtSeconds).to.be.greaterThan(0);
  });

  it("prove_randomBatchesMixedOutcomes_verifyWithSnarkjs", async () => {
    const outcomes = new Set<Outcome>();
    const jobs = [11, 12, 13].map((seed) => {
      const state = baseState();
      const built = buildCircuitInput({ state, batch: randomBatch(state, domain, holders, seed), domain, queueHashStart: BigInt(seed), nOps: ZK_SLOTS });
      built.result.steps.forEach((s) => outcomes.add(s.outcome));
      const job = queue.submit(built.input);
      expect(["queued", "proving"]).to.include(queue.status(job.id));
      return { job, publicInput: built.publicInput };
    });
    expect(queue.pending).to.equal(3);
    for (const { job, publicInput } of jobs) {
      const { proof, publicSignals, seconds } = await job;
      expect(queue.status(job.id)).to.equal("done");
      expect(publicSignals).to.deep.equal([publicInput.toString()]);
      expect(seconds).to.be.greaterThan(0);
      expect(await snarkjs.groth16.verify(verificationKey, [...publicSignals], proof as snarkjs.Groth16Proof)).to.equal(true);
      expect(await snarkjs.groth16.verify(verificationKey, [(publicInput + 1n).toString()], proof as snarkjs.Groth16Proof)).to.equal(false);
      expect(proofCalldata(proof)).to.have.length(8);
    }
    expect([...outcomes]).to.include("Applied");
    expect([...outcomes].some((o) => o !== "Applied")).to.equal(true);
  });

  it("prove_inputViolatingCircuit_failsJobWithProverJobError", async () => {
    const state = baseState();
    const batch = signedBatch(state, domain, holders, [], [{ fromIdx: 2, toIdx: 3, amount: 10n }]);
    const { input } = buildCircuitInput({ state, batch, domain, queueHashStart: 0n, nOps: ZK_SLOTS });
    const job = queue.submit({ ...input, publicInput: "12345" }, "bad-public-input");
    const error = await job.then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).to.be.instanceOf(ProverJobError);
    expect((error as ProverJobError).jobId).to.equal("bad-public-input");
    expect(queue.status("bad-public-input")).to.equal("failed");
  });
});
