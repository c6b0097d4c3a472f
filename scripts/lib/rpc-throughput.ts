/**
 * Signed transfers per second through a devnet's L2 JSON-RPC, counted until the last batch is
 * on L1. Shared by bench:batch and the tour.
 */
import { bytesToHex, domainSeparator, encodeFloat40, encodeFloat8, l2OpMessage, signMessage, type L2Op } from "../../core/index.js";
import { waitFor } from "../../core/wait.js";
import { L2RpcError } from "../../client/index.js";
import type { Devnet } from "../../devnet/start.js";
import { fundSenders } from "./bench-batches.js";

/**
 * What {@link measureRpcThroughput} measured.
 *
 * @example
 * console.log(`${result.onL1OpsPerSecond} ops/s into L1 batches`)
 */
export interface RpcThroughput {
  readonly ops: number;
  readonly senders: number;
  readonly perRequest: number;
  readonly acceptedSeconds: number;
  readonly onL1Seconds: number;
  readonly acceptedOpsPerSecond: number;
  readonly onL1OpsPerSecond: number;
}

/**
 * Funds `senders` L2 accounts, then sends `ops` signed transfers from them at once (each
 * sender in nonce order, `perRequest` ops per HTTP request as a JSON-RPC batch) and waits
 * until every op is in a batch on L1.
 *
 * @example
 * const { onL1OpsPerSecond } = await measureRpcThroughput(devnet, { ops: 6000, senders: 64, perRequest: 1, label: "bench-batch" })
 */
export async function measureRpcThroughput(devnet: Devnet, options: { ops: number; senders: number; perRequest: number; label: string }): Promise<RpcThroughput> {
  const { info } = devnet;
  const { senders: senderCount, perRequest } = options;
  const domain = domainSeparator({ l1ChainId: info.l1.chainId, l2ChainId: info.l2.chainId, rollupAddress: info.contracts.rollup });
  const { keyOf, indices: senders } = await fundSenders(devnet, { count: senderCount, ethEach: "1", label: options.label });
  type Reply = { result?: { hash: string }; error?: { code: number; message: string; data?: unknown } };
  const rpc = async (body: object | object[]): Promise<Reply | Reply[]> => {
    const response = await fetch(info.l2.rpcUrl, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
    return (await response.json()) as Reply | Reply[];
  };
  const perSender = Math.ceil(options.ops / senderCount);
  const requests: object[][] = senders.map((from, s) =>
    Array.from({ length: perSender }, (_, nonce) => {
      const op: L2Op = { fromIdx: from, toIdx: senders[(s + 1) % senderCount]!, amountFloat40: encodeFloat40(1000n), feeFloat8: encodeFloat8(1n) };
      const signature = signMessage(keyOf(s), l2OpMessage(op, { tokenId: 0, nonce }, domain));
      return { jsonrpc: "2.0", id: nonce, method: "rollup_sendOp", params: [{ chainId: info.l2.chainId, fromIdx: from, toIdx: op.toIdx, amount: "1000", fee: "1", nonce, signature: bytesToHex(signature) }] };
    }),
  );
  const started = performance.now();
  // Each sender sends its ops in order; with perRequest N, N consecutive ops go in one
  // JSON-RPC batch request (the server applies a batch's requests in array order).
  await Promise.all(
    requests.map(async (chainOfOps) => {
      for (let i = 0; i < chainOfOps.length; i += perRequest) {
        const chunk = chainOfOps.slice(i, i + perRequest);
        const replies = await rpc(perRequest === 1 ? chunk[0]! : chunk);
        for (const { error } of Array.isArray(replies) ? replies : [replies]) {
          if (error) throw new L2RpcError(error.code, `op refused: ${error.message}`, { data: error.data });
        }
      }
    }),
  );
  const acceptedSeconds = (performance.now() - started) / 1000;
  await waitFor(
    "every accepted op to be posted to L1",
    async () => {
      const reply = (await rpc({ jsonrpc: "2.0", id: 1, method: "rollup_getStatus", params: [] })) as unknown as { result: { batches: number; postedBatches: number; openBatch: unknown } };
      return reply.result.openBatch === null && reply.result.postedBatches === reply.result.batches;
    },
    { timeoutMs: 600_000, intervalMs: 20, details: "the sequencer stopped posting: run the devnet verbose to see why" },
  );
  const onL1Seconds = (performance.now() - started) / 1000;
  const ops = perSender * senderCount;
  return { ops, senders: senderCount, perRequest, acceptedSeconds, onL1Seconds, acceptedOpsPerSecond: ops / acceptedSeconds, onL1OpsPerSecond: ops / onL1Seconds };
}
