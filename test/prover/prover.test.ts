import { expect } from "chai";
import { readFileSync } from "node:fs";
import * as snarkjs from "snarkjs";
import { type Outcome } from "../../core/index.js";
import { releaseSnarkjsCurve } from "../../prover/curve.js";
import { ProverJobError } from "../../prover/errors.js";
import { nativeProver } from "../../prover/groth16.js";
import { ProverQueue, proofCalldata } from "../../prover/prover.js";
import { buildCircuitInput } from "../../core/zk-witness.js";
import { type ProverJobInfo, type ProverStatus } from "../../core/prover-rpc.js";
import { waitFor } from "../../core/wait.js";
import { type ProverServer, startProverServer } from "../../prover/server.js";
import { ProvingFailedError } from "../../sequencer/errors.js";
import { createRemoteBatchProver } from "../../sequencer/remote-prover.js";
import { type BatchProver } from "../../sequencer/zk-settlement.js";
import { ETH, TOKEN, type User, createAccount, domain, stateWith } from "../core/fixtures.js";
import { ZK_SLOTS, randomBatch, signedBatch, users, zkTestKeys } from "./zk-fixture.js";

const [alice, bob, carol] = users as [User, User, User];
const holders = new Map<number, User>([
  [2, alice],
  [3, bob],
  [4, carol],
]);
const baseState = () => stateWith([createAccount(alice, ETH, 1000n), createAccount(bob, ETH, 500n), createAccount(carol, TOKEN, 700n)]);

describe("prover queue (levels 2, 4 slots, INSECURE dev setup)", function () {
  this.timeout(300_000);
  let queue: ProverQueue;
  let verificationKey: object;

  before(async () => {
    const { build, keys } = await zkTestKeys();
    expect(keys.kind).to.equal("dev");
    verificationKey = JSON.parse(readFileSync(keys.verificationKey, "utf8")) as object;
    queue = new ProverQueue({ wasm: build.wasm, zkey: keys.zkey });
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

  it("prove_processKilledMidProof_jobRetriedOnFreshProcess", async () => {
    const state = baseState();
    const built = buildCircuitInput({ state, batch: randomBatch(state, domain, holders, 21), domain, queueHashStart: 21n, nOps: ZK_SLOTS });
    const [pid] = queue.processIds;
    const job = queue.submit(built.input, "killed-mid-proof");
    await waitFor("the job to be proving", () => queue.status(job.id) === "proving", { timeoutMs: 10_000, intervalMs: 20 });
    // Let the process get into the witness and the proof before it dies.
    await new Promise((resolve) => setTimeout(resolve, 1000));
    process.kill(pid!, "SIGKILL");
    const { proof, publicSignals } = await job;
    expect(queue.processIds).to.not.include(pid);
    expect(publicSignals).to.deep.equal([built.publicInput.toString()]);
    expect(await snarkjs.groth16.verify(verificationKey, [...publicSignals], proof as snarkjs.Groth16Proof)).to.equal(true);
  });
});

describe("prover service (JSON-RPC, levels 2, 4 slots)", function () {
  this.timeout(300_000);
  let server: ProverServer;
  let client: BatchProver;

  before(async () => {
    const { build, keys } = await zkTestKeys();
    server = await startProverServer({
      wasm: build.wasm,
      zkey: keys.zkey,
      circuit: { dir: build.dir, constraints: build.constraints, slots: ZK_SLOTS, levels: build.levels },
      host: "127.0.0.1",
      port: 0,
    });
    client = createRemoteBatchProver({ url: server.url, pollIntervalMs: 100 });
  });

  after(async () => {
    await client?.close();
    await server?.close();
  });

  const rpc = async (method: string, params: unknown[]): Promise<{ result?: unknown; error?: { code: number; message: string } }> =>
    (await fetch(server.url, { method: "POST", body: JSON.stringify({ jsonrpc: "2.0", id: 1, method, params }) })).json() as Promise<{
      result?: unknown;
      error?: { code: number; message: string };
    }>;

  it("submit_provingProcessKilledMidProof_clientGetsProofOfRetriedJob", async () => {
    const state = baseState();
    const built = buildCircuitInput({ state, batch: randomBatch(state, domain, holders, 31), domain, queueHashStart: 31n, nOps: ZK_SLOTS });
    const proving = client.submit(built.input, "batch-7");
    const status = await waitFor(
      "the prover to prove batch-7",
      async () => {
        const { result } = await rpc("prover_getStatus", []);
        return (result as ProverStatus).proving.includes("batch-7") && (result as ProverStatus);
      },
      { timeoutMs: 10_000, intervalMs: 50 },
    );
    expect(client.status("batch-7")).to.be.oneOf(["queued", "proving"]);
    expect(status.circuit.slots).to.equal(ZK_SLOTS);
    await new Promise((resolve) => setTimeout(resolve, 1000));
    process.kill(status.processes[0]!, "SIGKILL");
    const { calldata, seconds } = await proving;
    expect(client.status("batch-7")).to.equal("done");
    expect(seconds).to.be.greaterThan(0);
    expect(calldata).to.have.length(8);
    const job = (await rpc("prover_getJob", ["batch-7"])).result as ProverJobInfo;
    expect(job.status).to.equal("done");
    expect(job.publicSignals).to.deep.equal([built.publicInput.toString()]);
    expect(job.proof!.map(BigInt)).to.deep.equal(calldata);
    // The same id again is not proved twice.
    expect(((await rpc("prover_submitJob", ["batch-7", built.input])).result as ProverJobInfo).attempts).to.equal(1);
  });

  it("submit_inputViolatingCircuit_rejectsWithProvingFailedError_resubmissionRunsAgain", async () => {
    const state = baseState();
    const batch = signedBatch(state, domain, holders, [], [{ fromIdx: 2, toIdx: 3, amount: 10n }]);
    const { input } = buildCircuitInput({ state, batch, domain, queueHashStart: 0n, nOps: ZK_SLOTS });
    const error = await client.submit({ ...input, publicInput: "12345" }, "bad").then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).to.be.instanceOf(ProvingFailedError);
    expect((error as ProvingFailedError).jobId).to.equal("bad");
    expect(client.status("bad")).to.equal("failed");
    const again = (await rpc("prover_submitJob", ["bad", { ...input, publicInput: "12345" }])).result as ProverJobInfo;
    expect(again.attempts).to.equal(2);
  });

  it("request_unknownJobOrMethodOrBadParams_answersNullOrError", async () => {
    expect((await rpc("prover_getJob", ["never-submitted"])).result).to.equal(null);
    expect((await rpc("prover_prove", [])).error!.code).to.equal(-32601);
    expect((await rpc("prover_submitJob", ["", {}])).error!.code).to.equal(-32602);
    expect((await rpc("prover_submitJob", ["x", "not an input"])).error!.code).to.equal(-32602);
  });
});

describe("native prover (addon: qapEvaluate, g1MsmAffine, g2MsmAffine)", function () {
  this.timeout(60_000);

  it("nativeProver_addonBuilt_loadsBothFunctions", () => {
    const addon = nativeProver();
    expect(addon, "npm run build:native").to.not.equal(null);
  });

  it("msmAffine_G1AndG2RandomScalarsWithInfinityDoublingAndZeros_equalFfjavascriptMultiExp", async () => {
    interface Group {
      g: Uint8Array;
      add(a: Uint8Array, b: Uint8Array): Uint8Array;
      timesScalar(a: Uint8Array, k: number): Uint8Array;
      toAffine(a: Uint8Array): Uint8Array;
      toRprLEM(buffer: Uint8Array, offset: number, a: Uint8Array): void;
      fromRprLEM(buffer: Uint8Array, offset: number): Uint8Array;
      eq(a: Uint8Array, b: Uint8Array): boolean;
      multiExpAffine(bases: Uint8Array, scalars: Uint8Array): Promise<Uint8Array>;
    }
    const curve = (await snarkjs.curves.getCurveFromName("bn128", { singleThread: true })) as unknown as {
      G1: Group;
      G2: Group;
      Fr: { random(): Uint8Array; fromMontgomery(a: Uint8Array): Uint8Array };
      terminate(): Promise<void>;
    };
    const addon = nativeProver()!;
    try {
      for (const [name, G, size, msm] of [
        ["G1", curve.G1, 64, addon.g1MsmAffine],
        ["G2", curve.G2, 128, addon.g2MsmAffine],
      ] as const) {
        for (const n of [1, 2, 17, 600]) {
          const bases = new Uint8Array(n * size);
          const scalars = new Uint8Array(n * 32);
          let point = G.g;
          for (let i = 0; i < n; i++) {
            point = G.add(point, G.timesScalar(G.g, i + 3));
            G.toRprLEM(bases, i * size, G.toAffine(point));
            scalars.set(curve.Fr.fromMontgomery(curve.Fr.random()), i * 32);
          }
          // Equal bases take the doubling branch; all zero is infinity; a zero scalar adds nothing.
          if (n === 2) bases.copyWithin(size, 0, size);
          if (n === 17) {
            bases.fill(0, 3 * size, 4 * size);
            scalars.fill(0, 5 * 32, 6 * 32);
          }
          const expected = await G.multiExpAffine(bases, scalars);
          const native = await msm(bases, scalars, 2);
          expect(G.eq(G.fromRprLEM(native, 0), G.toAffine(expected)), `${name}, ${n} points`).to.equal(true);
        }
      }
    } finally {
      await curve.terminate();
    }
  });
});
