/**
 * The commitment builder's thread (see sequencer/builder.ts): replays what the sequencer
 * accepted through the STF with the account tree, and answers seals with `BatchResult`s.
 */
import { parentPort, workerData } from "node:worker_threads";
import {
  type L2Op,
  type QueueEntry,
  type BatchHeader,
  BatchExecutor,
  L2State,
  decodeBatchPayload,
  resolveParams,
  type SignatureVerifier,
  buildCircuitInput,
} from "../core/index.js";
import { nativeAddon } from "../core/crypto/backend.js";
import type { BuilderInit, BuilderReply, BuilderRequest } from "./builder.js";
import { CommitmentBuilderError } from "./errors.js";

// The native Poseidon would split hash batches with a helper thread that spins between
// batches; beside the RPC thread that is CPU taken from acceptance for little gain, as a
// transfer's batches are two hashes at most.
nativeAddon?.setThreads(1);

const init = workerData as BuilderInit;
const params = resolveParams({ levels: init.levels });
const state = L2State.genesis(params);
let open: { batch: number; executor: BatchExecutor } | undefined;
// ZK mode: the open batch's pre-state (a clone with the tree), queue entries and ops, for its circuit input.
let zkOpen: { pre: L2State; header: BatchHeader; entries: readonly QueueEntry[]; ops: L2Op[] } | undefined;
// ZK mode: the rolling queue hash before the open batch's first queue entry.
let queueHash = 0n;

// Only ops the sequencer accepted arrive here, in the order it accepted them, so acceptance
// verified each signature against the same account state this thread reaches: the verdict
// is always "valid", and the tree is all this thread computes. Every other check runs again
// and must agree (asserted below).
const acceptedVerdict: SignatureVerifier = () => true;

// The sequencer and this thread disagree: a bug, and the sequencer cannot go on.
const OUT_OF_STEP = "the sequencer and its commitment builder are out of step (a bug); restart the sequencer";
const STF_DISAGREES = "acceptance (the STF without the tree) and the builder (with it) must decide every op alike: an STF bug; report it with the write-ahead log";

function reply(message: BuilderReply): void {
  parentPort!.postMessage(message);
}

function current(what: string): { batch: number; executor: BatchExecutor } {
  if (!open) throw new CommitmentBuilderError(`commitment builder: ${what} with no open batch`, { details: OUT_OF_STEP });
  return open;
}

// An exception here is deliberate: it kills the worker, and the sequencer's proxy turns it
// into a failure of every later request.
function handle(request: BuilderRequest): void {
  switch (request.t) {
    case "open": {
      if (open) {
        throw new CommitmentBuilderError(`commitment builder: batch ${request.batch} opened while batch ${open.batch} is open`, { details: OUT_OF_STEP });
      }
      if (init.zkSlots) zkOpen = { pre: state.clone(), header: request.header, entries: request.entries, ops: [] };
      const executor = new BatchExecutor(state, request.header, { domain: init.domain, mode: "optimistic", verifySignature: acceptedVerdict });
      for (const entry of request.entries) executor.applyQueueEntry(entry);
      open = { batch: request.batch, executor };
      return;
    }
    case "ops": {
      const { batch, executor } = current("ops");
      for (const op of decodeBatchPayload(request.payload, params, "optimistic")) {
        zkOpen?.ops.push(op);
        const { outcome } = executor.applyL2Op(op);
        if (outcome !== "Applied") {
          throw new CommitmentBuilderError(
            `commitment builder: an accepted op of batch ${batch} (from ${op.fromIdx} to ${op.toIdx}) is ${outcome} here: acceptance and the STF disagree`,
            { details: STF_DISAGREES },
          );
        }
      }
      return;
    }
    case "seal": {
      const { batch, executor } = current("seal");
      if (batch !== request.batch) {
        throw new CommitmentBuilderError(`commitment builder: seal of batch ${request.batch}, but batch ${batch} is open`, { details: OUT_OF_STEP });
      }
      open = undefined;
      const result = executor.finish();
      if (!zkOpen) return reply({ t: "sealed", batch, result });
      const { pre, header, entries, ops } = zkOpen;
      zkOpen = undefined;
      const queueHashStart = queueHash;
      // The circuit input replays the batch on the pre-state (in ZK mode: the circuit checks the signatures).
      const built = buildCircuitInput({
        state: pre,
        batch: { queueEntries: [...entries], ops, feeRecipient: header.feeRecipient, feeTokens: header.feeTokens },
        domain: init.domain,
        queueHashStart,
        nOps: init.zkSlots!,
      });
      queueHash = built.queueHashEnd;
      if (built.result.postStateRoot !== result.postStateRoot || built.result.withdrawalsRoot !== result.withdrawalsRoot) {
        throw new CommitmentBuilderError(`commitment builder: the ZK replay of batch ${batch} disagrees with the STF`, {
          details: "the circuit input builder (prover/witness.ts) and the STF must reach the same roots: a bug in one of them",
        });
      }
      return reply({
        t: "sealed",
        batch,
        result,
        zk: {
          input: built.input,
          publicInput: built.publicInput,
          payload: built.payload,
          c: built.commitment.c,
          queueHashStart,
          queueHashEnd: built.queueHashEnd,
        },
      });
    }
    case "root":
      return reply({ t: "root", stateRoot: state.stateRoot });
  }
}

parentPort!.on("message", (requests: BuilderRequest[]) => {
  for (const request of requests) handle(request);
});
