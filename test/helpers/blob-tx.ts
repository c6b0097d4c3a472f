/**
 * Blob transactions in contract tests. Hardhat accepts type-3 transactions only raw
 * (docs/blobs.md), so a proposer with a local key signs them and sends them with
 * eth_sendRawTransaction, with real KZG commitments and proofs from c-kzg.
 */
import type { TransactionReceipt } from "ethers";
import { type Hex, bytesToHex, encodeFunctionData, parseGwei } from "viem";
import { type PrivateKeyAccount, privateKeyToAccount } from "viem/accounts";
import { type Address, type BlobOpenings, blobOpenings, kzgToVersionedHash, loadKzg, rollupAbi } from "../../core/index.js";
import type { BatchSubmission } from "./batches.js";

/** What a raw sender needs of the network `network.create()` returned. */
interface Network {
  readonly provider: { request(args: { method: string; params?: unknown[] }): Promise<unknown> };
  readonly ethers: { readonly provider: { getTransactionReceipt(hash: string): Promise<TransactionReceipt | null> } };
}

/** A proposer that signs locally and sends raw. */
export interface RawSender {
  readonly account: PrivateKeyAccount;
  /** Signs and sends a transaction (with blobs: type 3); resolves to its receipt. */
  send(to: Address, data: Hex, blobs?: readonly Uint8Array[], value?: bigint): Promise<TransactionReceipt>;
}

/**
 * A raw sender for `key` on a Hardhat network.
 *
 * @example
 * const proposer = rawSender(network, key)
 * await proposer.send(rollup, submitBlobBatchData(s, payload.length, blobs.length), blobs)
 */
export function rawSender(net: Network, key: Hex): RawSender {
  const account = privateKeyToAccount(key);
  return {
    account,
    async send(to, data, blobs = [], value = 0n) {
      const nonce = Number(await net.provider.request({ method: "eth_getTransactionCount", params: [account.address, "pending"] }));
      const common = { to, data, value, nonce, chainId: 31337, gas: 1_000_000n, maxFeePerGas: parseGwei("20"), maxPriorityFeePerGas: parseGwei("1") };
      const kzg = loadKzg();
      const signed =
        blobs.length === 0
          ? await account.signTransaction({ ...common, type: "eip1559" })
          : await account.signTransaction({
              ...common,
              type: "eip4844",
              sidecars: blobs.map((blob) => {
                const commitment = kzg.blobToKzgCommitment(blob);
                return { blob: bytesToHex(blob), commitment: bytesToHex(commitment), proof: bytesToHex(kzg.computeBlobKzgProof(blob, commitment)) };
              }),
              blobVersionedHashes: versionedHashes(blobs),
              maxFeePerBlobGas: parseGwei("1"),
            });
      const hash = (await net.provider.request({ method: "eth_sendRawTransaction", params: [signed] })) as Hex;
      return (await net.ethers.provider.getTransactionReceipt(hash))!;
    },
  };
}

/** The versioned hashes of `blobs`, as BLOBHASH returns them. */
export function versionedHashes(blobs: readonly Uint8Array[]): Hex[] {
  return blobs.map((b) => bytesToHex(kzgToVersionedHash(loadKzg().blobToKzgCommitment(b))));
}

/** Calldata of `Rollup.submitBlobBatch(s, payloadLength, blobCount)`. */
export function submitBlobBatchData(s: BatchSubmission, payloadLength: number, blobCount: number): Hex {
  return encodeFunctionData({
    abi: rollupAbi,
    functionName: "submitBlobBatch",
    args: [
      { ...s, stepsRoot: s.stepsRoot as Hex, feeRecipient: s.feeRecipient as Address, feeTokens: s.feeTokens as [number, number, number, number] },
      BigInt(payloadLength),
      BigInt(blobCount),
    ],
  });
}

/**
 * The `blobs` argument of `DisputeGame.proveBlobStep` for step `step` of a batch with
 * `queueOps` queue entries and `l2Ops` ops in `blobs`.
 *
 * @example
 * game.proveBlobStep(gameId, header, stepOpenings(blobs, 2, 3, 72)(lo), pre, proof)
 */
export function stepOpenings(blobs: readonly Uint8Array[], queueOps: number, l2Ops: number, recordSize: number): (step: number) => BlobOpenings {
  const hashes = versionedHashes(blobs);
  return (step) => {
    const opIndex = step - queueOps;
    return blobOpenings(loadKzg(), blobs, hashes, opIndex >= 0 && opIndex < l2Ops ? opIndex : undefined, recordSize);
  };
}
