/**
 * Stage 2a of the derivation: the data of blob batches. For a batch whose `BatchSubmitted`
 * came with a `BatchDataPosted`, fetches the sidecars of its L1 block from a Beacon API
 * (`GET /eth/v1/beacon/blob_sidecars/{block_id}`, over HTTP only), keeps the blobs whose
 * KZG commitments hash to the batch's versioned hashes, checks each blob's KZG proof, and
 * reads the payload (docs/protocol.md §9), keeping the blobs for one-step proofs. Calldata batches pass through to
 * `calldata-source.ts`, the way op-node's data source picks blobs or calldata per batch.
 */
import { type Hex, type PublicClient, concatHex, hexToBytes, keccak256, bytesToHex } from "viem";
import { readBlobPayload, kzgToVersionedHash, loadKzg, BYTES_PER_BLOB } from "../core/index.js";
import { DerivationError } from "./errors.js";
import type { BatchDataLog, SourcedLogSource } from "./calldata-source.js";
import type { BatchSubmittedLog, RollupLog, RollupLogSource } from "./l1-traversal.js";

/** A sidecar as the Beacon API returns it (the fields this stage reads). */
interface BeaconSidecar {
  readonly index: string;
  readonly blob: Hex;
  readonly kzg_commitment: Hex;
  readonly kzg_proof: Hex;
}

/**
 * Attaches each blob batch's payload, read from a Beacon API.
 *
 * @example
 * const source = new CalldataSource(new BlobSource(traversal, "http://127.0.0.1:5052"), client, 76)
 */
export class BlobSource implements SourcedLogSource {
  /** The consensus chain's clock, or null for the devnet's Beacon API; read on first use. */
  private clock: Promise<{ genesisTime: bigint; secondsPerSlot: bigint } | null> | undefined;

  constructor(
    private readonly logs: RollupLogSource,
    /** The Beacon API's base URL; without one, a blob batch stops the derivation with an error. */
    private readonly beaconUrl: string | undefined,
    /** Reads an L1 block's time, to find its slot on a consensus client's Beacon API. */
    private readonly client?: Pick<PublicClient, "getBlock">,
  ) {}

  async next(): Promise<RollupLog | BatchDataLog | undefined> {
    const log = await this.logs.next();
    if (log?.kind !== "batchSubmitted" || !log.blobs) return log;
    return this.source(log, log.blobs);
  }

  private async source(log: BatchSubmittedLog, blobs: NonNullable<BatchSubmittedLog["blobs"]>): Promise<BatchDataLog> {
    if (keccak256(concatHex([...blobs.versionedHashes])) !== log.dataHash) {
      throw new DerivationError(`batch ${log.index}: its versioned hashes do not hash to its dataHash ${log.dataHash}`);
    }
    if (!this.beaconUrl) {
      throw new DerivationError(`batch ${log.index} is in blobs and no Beacon API URL was given`, {
        details: "pass beaconUrl to createDerivationPipeline (the devnet's is beacon.url in devnet.json)",
      });
    }
    const sidecars = await this.fetchSidecars(log);
    const kzg = loadKzg();
    const byHash = new Map<Hex, BeaconSidecar>();
    for (const sidecar of sidecars) {
      byHash.set(bytesToHex(kzgToVersionedHash(hexToBytes(sidecar.kzg_commitment))), sidecar);
    }
    const blobBytes = blobs.versionedHashes.map((hash, i) => {
      const sidecar = byHash.get(hash.toLowerCase() as Hex);
      if (!sidecar) {
        throw new DerivationError(`batch ${log.index}: blob ${i} (versioned hash ${hash}) is not among the ${sidecars.length} sidecars of L1 block ${log.l1Block}`, {
          details: `the Beacon API at ${this.beaconUrl} does not have it; blobs are kept ~18 days on mainnet, so a node must fetch them in time`,
        });
      }
      const blob = hexToBytes(sidecar.blob);
      if (blob.length !== BYTES_PER_BLOB || !kzg.verifyBlobKzgProof(blob, hexToBytes(sidecar.kzg_commitment), hexToBytes(sidecar.kzg_proof))) {
        throw new DerivationError(`batch ${log.index}: the Beacon API's blob ${sidecar.index} of L1 block ${log.l1Block} does not match its KZG commitment`, {
          details: "a Beacon API served a wrong blob: use another",
        });
      }
      return blob;
    });
    // Blobs that do not state the batch's payload execute as that many zero bytes, every op
    // skipped (docs/protocol.md §9): the L1 cannot read blobs, so the STF is total over them.
    const { payload, malformed } = readBlobPayload(blobBytes, blobs.payloadLength);
    const { blobs: _, ...rest } = log;
    return { ...rest, blobs, blobData: blobBytes, kind: "batchData", da: "blobs", settlement: "optimistic", payload: bytesToHex(payload), malformed };
  }

  /**
   * The Beacon API's id of the block that carries the batch. A consensus client names blocks
   * by slot (or beacon root): the slot is the L1 block's time since the beacon genesis over
   * the slot length, as op-node computes it. The devnet's Beacon API, which has no genesis
   * endpoint, names them by the L1 block hash.
   */
  private async blockId(log: BatchSubmittedLog): Promise<string> {
    this.clock ??= this.readClock().catch((e: unknown) => {
      this.clock = undefined; // unreachable now: ask again for the next batch
      throw e;
    });
    const clock = await this.clock;
    if (!clock) return log.l1BlockHash;
    if (!this.client) {
      throw new DerivationError(`batch ${log.index}: the Beacon API at ${this.beaconUrl} names blocks by slot, and no L1 client was given to read the block's time`, {
        details: "construct BlobSource with the pipeline's L1 client",
      });
    }
    const { timestamp } = await this.client.getBlock({ blockHash: log.l1BlockHash });
    return ((timestamp - clock.genesisTime) / clock.secondsPerSlot).toString();
  }

  private async readClock(): Promise<{ genesisTime: bigint; secondsPerSlot: bigint } | null> {
    const get = async (path: string): Promise<{ data?: Record<string, string> } | undefined> => {
      const response = await fetch(`${this.beaconUrl}${path}`).catch((cause: unknown) => {
        throw new DerivationError(`the Beacon API at ${this.beaconUrl} is unreachable`, { cause });
      });
      return response.ok ? ((await response.json()) as { data?: Record<string, string> }) : undefined;
    };
    const genesis = await get("/eth/v1/beacon/genesis");
    if (!genesis?.data?.genesis_time) return null;
    const spec = await get("/eth/v1/config/spec");
    return { genesisTime: BigInt(genesis.data.genesis_time), secondsPerSlot: BigInt(spec?.data?.SECONDS_PER_SLOT ?? "12") };
  }

  private async fetchSidecars(log: BatchSubmittedLog): Promise<BeaconSidecar[]> {
    const url = `${this.beaconUrl}/eth/v1/beacon/blob_sidecars/${await this.blockId(log)}`;
    let response: Response;
    try {
      response = await fetch(url);
    } catch (cause) {
      throw new DerivationError(`batch ${log.index}: the Beacon API at ${this.beaconUrl} is unreachable`, { cause });
    }
    if (!response.ok) {
      throw new DerivationError(`batch ${log.index}: GET ${url} answered ${response.status}: ${await response.text()}`);
    }
    const body = (await response.json()) as { data?: BeaconSidecar[] };
    if (!Array.isArray(body.data)) throw new DerivationError(`batch ${log.index}: GET ${url} returned no data array`);
    return body.data;
  }
}
