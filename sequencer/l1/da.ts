/**
 * Where a batch's data goes: the `--da calldata|blobs|auto` choice. "calldata" posts every
 * batch with the calldata poster; "blobs" with the blob poster unless the batch takes more
 * blobs than one transaction carries; "auto" picks the cheaper per batch at the current
 * prices. Either way the node sees one `BatchPoster`.
 */
import { type Account, type Chain, type LocalAccount, type PublicClient, type Transport, type WalletClient } from "viem";
import { type Address, type ResolvedParams, GAS_PER_BLOB, blobCountFor } from "../../core/index.js";
import { type SealedBatch } from "../sequencer.js";
import { type BatchPoster, type PostedBatch, type PostedCommitment } from "./batch-poster.js";
import { BlobPoster, MAX_BLOBS_PER_TX, type L1Prices } from "./blob-poster.js";
import { BlobSidecarStore } from "./blob-store.js";
import { CalldataPoster } from "./calldata-poster.js";
import { SequencerConfigError } from "../errors.js";

/**
 * The data availability modes.
 *
 * @example
 * DA_MODES.includes(value) // value is a DaMode
 */
export const DA_MODES = ["calldata", "blobs", "auto"] as const;

/**
 * Where a batch's data goes: calldata, blobs, or whichever is cheaper per batch.
 *
 * @example
 * const da: DaMode = "auto"
 */
export type DaMode = (typeof DA_MODES)[number];

/**
 * What `auto` expects a blob batch's execution to cost (`npm run bench:da` measures ~159k), for
 * the comparison with calldata.
 *
 * @example
 * BLOB_BATCH_GAS_ESTIMATE * baseFeePerGas // the execution fee of a blob batch
 */
export const BLOB_BATCH_GAS_ESTIMATE = 160_000n;

/**
 * Picks calldata or blobs for one batch by the fee each would pay at the current prices, as
 * production batchers do: calldata pays `calldataGas · baseFee`; blobs pay
 * `BLOB_BATCH_GAS_ESTIMATE · baseFee + blobs · 131072 · blobBaseFee`. Blobs are never picked
 * past `MAX_BLOBS_PER_TX`.
 *
 * @example
 * chooseDa({ calldataGas: 3_000_000n, payloadLength: 39_000 }, { baseFeePerGas: 10n ** 9n, blobBaseFee: 1n }) // "blobs"
 */
export function chooseDa(batch: { readonly calldataGas: bigint; readonly payloadLength: number }, prices: L1Prices): "calldata" | "blobs" {
  const blobs = blobCountFor(batch.payloadLength);
  if (blobs > MAX_BLOBS_PER_TX) return "calldata";
  const calldataFee = batch.calldataGas * prices.baseFeePerGas;
  const blobFee = BLOB_BATCH_GAS_ESTIMATE * prices.baseFeePerGas + BigInt(blobs) * GAS_PER_BLOB * prices.blobBaseFee;
  return blobFee < calldataFee ? "blobs" : "calldata";
}

/**
 * Parameters of `createBatchPoster`.
 *
 * @example
 * const parameters: CreateBatchPosterParameters = { mode: "blobs", publicClient, walletClient, rollup, params, blobDir: ".devnet/blobs", log: console.log }
 */
export interface CreateBatchPosterParameters {
  readonly mode: DaMode;
  readonly publicClient: PublicClient;
  readonly walletClient: WalletClient<Transport, Chain, Account & LocalAccount>;
  readonly rollup: Address;
  readonly params: ResolvedParams;
  /** Where the blob poster publishes sidecars for the Beacon API (required unless `mode` is "calldata"). */
  readonly blobDir?: string;
  /** Receives one line per batch saying where its data went (blobs and auto only). */
  readonly log: (line: string) => void;
}

/**
 * The batch poster for a DA mode: the calldata poster itself for "calldata", else one that
 * picks the calldata or the blob poster per batch.
 *
 * @example
 * const poster = createBatchPoster({ mode: "auto", publicClient, walletClient, rollup, params, blobDir: ".devnet/blobs", log: console.log })
 * const { hash, da } = await poster.post(batch)
 */
export function createBatchPoster(parameters: CreateBatchPosterParameters): BatchPoster {
  const { mode, publicClient, walletClient, rollup, params, blobDir } = parameters;
  const calldata = new CalldataPoster(publicClient, walletClient, rollup, params);
  if (mode === "calldata") return calldata;
  if (!blobDir) {
    throw new SequencerConfigError(`da "${mode}" needs blobDir, the folder the Beacon API serves sidecars from`, {
      details: `set blobDir in the sequencer config (the devnet uses <dataDir>/blobs), or use da "calldata"`,
    });
  }
  const blobs = new BlobPoster(publicClient, walletClient.account, rollup, params, new BlobSidecarStore(blobDir));
  return new DaChoosingPoster(mode, calldata, blobs, params, parameters.log);
}

/** Posts each batch with the calldata or the blob poster, as `mode` decides for it. */
class DaChoosingPoster implements BatchPoster {
  constructor(
    private readonly mode: "blobs" | "auto",
    private readonly calldata: CalldataPoster,
    private readonly blobs: BlobPoster,
    private readonly params: ResolvedParams,
    private readonly log: (line: string) => void,
  ) {}

  async post(batch: SealedBatch, commitment?: PostedCommitment): Promise<PostedBatch> {
    const payloadLength = commitment?.payload.length ?? batch.ops.length * this.params.optimisticOpBytes;
    let choice: "calldata" | "blobs";
    if (this.mode === "blobs") {
      choice = blobCountFor(payloadLength) <= MAX_BLOBS_PER_TX ? "blobs" : "calldata";
    } else {
      const [calldataGas, prices] = await Promise.all([this.calldata.estimateGas(batch, commitment), this.blobs.prices()]);
      choice = chooseDa({ calldataGas, payloadLength }, prices);
    }
    this.log(`batch ${batch.index}: ${batch.ops.length} ops, ${payloadLength} bytes as ${choice}`);
    return (choice === "blobs" ? this.blobs : this.calldata).post(batch, commitment);
  }
}
