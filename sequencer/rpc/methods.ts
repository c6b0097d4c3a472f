import {
  type Account,
  type AccountInfo,
  type BatchInfo,
  type BatchStatus,
  type L2RpcSchema,
  type OpInfo,
  type ProofInfo,
  type RollupInfo,
  type SendOpResult,
  type WithdrawalInfo,
  RpcErrorCode,
  bytesToHex,
  buildWithdrawalTree,
  decodeFloat40,
  decodeFloat8,
  encodeL2Op,
} from "../../core/index.js";
import { type OpInfo as AcceptedOp, type SealedBatch, Sequencer } from "../sequencer.js";
import { OpRejectedError } from "../errors.js";
import { RpcError, invalidParams } from "./errors.js";
import { readAddress, readInteger, readRawOp, readSubmittedOp, type SubmittedOp } from "./params.js";
import { type RpcMethods } from "./server.js";

// sequencer/node.ts imports these two from here.
export { type ProofInfo, type RollupInfo } from "../../core/index.js";

/**
 * The ZK prover as the RPC sees it.
 *
 * @example
 * const prover: ProverView = { proof: (index) => proofs.get(index), pending: () => queue.pending }
 */
export interface ProverView {
  proof(index: number): ProofInfo | undefined;
  /** Proving jobs queued or running. */
  pending(): number;
}

/**
 * The exodus as the RPC sees it (sequencer/exodus.ts).
 *
 * @example
 * const exodus: ExodusView = { active: false }
 */
export interface ExodusView {
  /** True once the rollup is in exodus on L1: ops are refused. */
  readonly active: boolean;
}

const hex = (v: bigint): `0x${string}` => `0x${v.toString(16)}`;

const batchStatus = (b: SealedBatch): BatchStatus => (b.final ? "final" : b.l1Tx ? "batched" : "sealed");

function accountJson(index: number, a: Account): AccountInfo {
  return {
    index,
    tokenId: a.tokenId,
    balance: a.balance.toString(),
    nonce: a.nonce,
    publicKey: { x: hex(a.Ax), y: hex(a.Ay) },
    ethAddr: a.ethAddr,
  };
}

function batchJson(seq: Sequencer, b: SealedBatch, prover?: ProverView): BatchInfo {
  const zk = prover ? { proof: prover.proof(b.index) ?? null } : {};
  return {
    index: b.index,
    status: batchStatus(b),
    l1TxHash: b.l1Tx ?? null,
    l1Block: b.l1Block ?? null,
    da: b.da ?? null,
    queueStart: b.queueStart,
    queueEnd: b.queueEnd,
    opCount: b.ops.length,
    stepCount: b.result.steps.length,
    preStateRoot: hex(b.result.preStateRoot),
    postStateRoot: hex(b.result.postStateRoot),
    withdrawalsRoot: hex(b.result.withdrawalsRoot),
    // A ZK batch commits to no step hashes on L1 (stepsRoot 0).
    stepsRoot: b.zk ? `0x${"0".repeat(64)}` : bytesToHex(b.result.stepsRoot),
    payloadBytes: b.zk ? b.zk.payload.length : b.ops.length * seq.config.params.optimisticOpBytes,
    ...zk,
  };
}

function opJson(seq: Sequencer, info: AcceptedOp): OpInfo {
  const batch = info.batch === undefined ? undefined : seq.sealed[info.batch];
  return {
    hash: info.hash,
    status: seq.status(info),
    batch: batch ? batch.index : null,
    l1TxHash: batch?.l1Tx ?? null,
    fromIdx: info.op.fromIdx,
    toIdx: info.op.toIdx,
    kind: info.op.toIdx === 1 ? "withdraw" : "transfer",
    amount: decodeFloat40(info.op.amountFloat40).toString(),
    fee: decodeFloat8(info.op.feeFloat8).toString(),
    nonce: info.nonce,
    acceptedAt: info.acceptedAt,
  };
}

async function accept(seq: Sequencer, submitted: SubmittedOp, exodus: ExodusView | undefined): Promise<SendOpResult> {
  if (exodus?.active) {
    throw new RpcError(RpcErrorCode.OpRejected, "the rollup is in exodus: it takes no more L2 ops", {
      data: {
        reason: "RollupInExodus",
        details: "no batch can reach L1 any more; take your balance of the last final state out on L1 with `rollup exodus withdraw` (docs/exodus.md)",
      },
    });
  }
  try {
    const info = await seq.submit(submitted.op, submitted.nonce);
    return { hash: info.hash, status: seq.status(info) };
  } catch (e) {
    if (e instanceof OpRejectedError) {
      throw new RpcError(RpcErrorCode.OpRejected, e.shortMessage, { data: { reason: e.reason, details: e.details ?? null } });
    }
    throw e;
  }
}

/**
 * The L2 JSON-RPC methods (documented in docs/rpc.md). Amounts are decimal strings of base
 * units, field elements 0x-hex. With `exodus` active, ops are refused (-32000, reason
 * `RollupInExodus`) and `rollup_getStatus` says so.
 *
 * @example
 * const server = await startRpcServer(createRpcMethods(sequencer, info), { port: 8546 })
 */
export function createRpcMethods(seq: Sequencer, info: RollupInfo, prover?: ProverView, exodus?: ExodusView): RpcMethods<L2RpcSchema> {
  const params = seq.config.params;
  return {
    eth_chainId: () => hex(BigInt(info.l2ChainId)),
    net_version: () => String(info.l2ChainId),
    rollup_getInfo: () => info,
    rollup_sendOp: ([op]) => accept(seq, readSubmittedOp(op, params, info.l2ChainId), exodus),
    rollup_sendRawOp: ([raw, nonce]) => accept(seq, readRawOp(raw, nonce, params), exodus),
    rollup_getAccount: ([index]) => {
      const i = readInteger(index, "index");
      const account = seq.state.account(i);
      return account ? accountJson(i, account) : null;
    },
    rollup_getAccountsByOwner: ([owner]) => {
      const address = readAddress(owner, "owner");
      const found: AccountInfo[] = [];
      for (const [index, a] of seq.state.entries()) if (a.ethAddr.toLowerCase() === address) found.push(accountJson(index, a));
      return found;
    },
    rollup_getOp: ([hash]) => {
      if (typeof hash !== "string") throw invalidParams("hash must be a 0x-hex string");
      const op = seq.op(hash);
      if (!op) throw new RpcError(RpcErrorCode.NotFound, `no op with hash ${hash}`);
      return opJson(seq, op);
    },
    rollup_getBatch: ([index]) => {
      const i = readInteger(index, "index");
      const batch = seq.sealed[i];
      if (!batch) throw new RpcError(RpcErrorCode.NotFound, `no batch ${i}: ${seq.sealed.length} batch(es) so far`);
      return batchJson(seq, batch, prover);
    },
    rollup_getBatches: ([from, count]) => {
      const start = from === undefined ? 0 : readInteger(from, "from");
      const n = count === undefined ? 100 : readInteger(count, "count", 1000);
      return seq.sealed.slice(start, start + n).map((b) => batchJson(seq, b, prover));
    },
    rollup_getStatus: async () => ({
      stateRoot: hex(await seq.stateRoot()),
      accounts: seq.state.accountCount,
      batches: seq.batchCount,
      postedBatches: seq.sealed.filter((b) => b.l1Tx).length,
      finalBatches: seq.sealed.filter((b) => b.final).length,
      openBatch: seq.openBatch ?? null,
      unconsumedQueueEntries: seq.unconsumedQueueEntries,
      exodus: exodus?.active ?? false,
      ...(prover ? { proverQueue: prover.pending() } : {}),
    }),
    rollup_getWithdrawals: ([owner]) => {
      const address = readAddress(owner, "owner");
      const out: WithdrawalInfo[] = [];
      for (const batch of seq.sealed) {
        const mine = batch.result.withdrawals.filter((w) => w.ethAddr.toLowerCase() === address);
        if (mine.length === 0) continue;
        const tree = buildWithdrawalTree(batch.result.withdrawals);
        for (const w of mine) {
          out.push({
            batch: batch.index,
            position: w.position,
            recipient: w.ethAddr,
            tokenId: w.tokenId,
            amount: w.amount.toString(),
            batchStatus: batchStatus(batch),
            proof: tree.proof(w.position).map((level) => level.map(hex)),
          });
        }
      }
      return out;
    },
    rollup_encodeOp: ([op]) => bytesToHex(encodeL2Op(readSubmittedOp(op, params, info.l2ChainId).op, params, "optimistic")),
  };
}
