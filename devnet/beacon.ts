/**
 * The devnet's Beacon API: Hardhat has no consensus layer, so this small HTTP server stands
 * in for one on the single route a rollup node needs, `GET /eth/v1/beacon/blob_sidecars/{block_id}`
 * (docs/blobs.md). The blobs come from the blob store the devnet's poster publishes to
 * (sequencer/l1/blob-store.ts); which blobs a block has, and in which order, comes from L1.
 *
 * Devnet mapping: slot = L1 block number; block root = L1 block hash.
 */
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import { type AddressInfo } from "node:net";
import { type Block, type Hex, type PublicClient } from "viem";
import { BaseError } from "../core/index.js";
import { BlobSidecarStore } from "../sequencer/l1/blob-store.js";

/**
 * A running Beacon API server.
 *
 * @example
 * const { url, close }: BeaconServer = await startBeaconServer({ host: "127.0.0.1", port: 0, l1: client, blobDir })
 */
export interface BeaconServer {
  readonly url: string;
  close(): Promise<void>;
}

/**
 * One sidecar in the Beacon API's JSON shape (Deneb `BlobSidecar`).
 *
 * @example
 * const { data } = (await (await fetch(`${beacon.url}/eth/v1/beacon/blob_sidecars/head`)).json()) as { data: BeaconBlobSidecar[] }
 */
export interface BeaconBlobSidecar {
  readonly index: string;
  readonly blob: Hex;
  readonly kzg_commitment: Hex;
  readonly kzg_proof: Hex;
  readonly signed_block_header: {
    readonly message: { readonly slot: string; readonly proposer_index: string; readonly parent_root: Hex; readonly state_root: Hex; readonly body_root: Hex };
    readonly signature: Hex;
  };
  readonly kzg_commitment_inclusion_proof: readonly Hex[];
}

const ROUTE = /^\/eth\/v1\/beacon\/blob_sidecars\/([^/?]+)$/;
const ZERO_ROOT = `0x${"00".repeat(32)}` as Hex;

/**
 * A request the Beacon API refuses, with its HTTP status; the message is what the client
 * reads, in the Beacon API's words where it has some.
 */
class BeaconApiError extends BaseError {
  override name = "BeaconApiError";

  constructor(
    readonly code: number,
    message: string,
  ) {
    super(message);
  }
}

/**
 * Starts the Beacon API server on `host:port` (0 picks a free port).
 *
 * @example
 * const beacon = await startBeaconServer({ host: "127.0.0.1", port: 0, l1: publicClient, blobDir: ".devnet/blobs" })
 * await fetch(`${beacon.url}/eth/v1/beacon/blob_sidecars/head`)
 */
export async function startBeaconServer(options: { host: string; port: number; l1: PublicClient; blobDir: string }): Promise<BeaconServer> {
  const store = new BlobSidecarStore(options.blobDir);

  const blockOf = async (blockId: string): Promise<Block<bigint, true>> => {
    try {
      if (blockId === "head") return await options.l1.getBlock({ includeTransactions: true });
      if (blockId === "genesis") return await options.l1.getBlock({ blockNumber: 0n, includeTransactions: true });
      if (/^0x[0-9a-fA-F]{64}$/.test(blockId)) return await options.l1.getBlock({ blockHash: blockId as Hex, includeTransactions: true });
      if (/^\d+$/.test(blockId)) return await options.l1.getBlock({ blockNumber: BigInt(blockId), includeTransactions: true });
    } catch {
      throw new BeaconApiError(404, `Block not found: ${blockId}`);
    }
    throw new BeaconApiError(400, `Invalid block ID: ${blockId} (use head, genesis, a slot number or a 0x block root)`);
  };

  const sidecars = async (blockId: string, indices: Set<number> | undefined): Promise<BeaconBlobSidecar[]> => {
    const block = await blockOf(blockId);
    const header = {
      message: {
        slot: (block.number ?? 0n).toString(),
        proposer_index: "0",
        parent_root: block.parentHash,
        state_root: block.stateRoot,
        body_root: ZERO_ROOT,
      },
      signature: `0x${"00".repeat(96)}` as Hex,
    };
    const hashes = block.transactions.flatMap((tx) => (tx.type === "eip4844" ? (tx.blobVersionedHashes ?? []) : []));
    const out: BeaconBlobSidecar[] = [];
    hashes.forEach((hash, index) => {
      if (indices && !indices.has(index)) return;
      const stored = store.get(hash);
      // A blob posted by someone other than the devnet's poster: this node never saw it.
      if (!stored) return;
      out.push({
        index: index.toString(),
        blob: stored.blob,
        kzg_commitment: stored.kzgCommitment,
        kzg_proof: stored.kzgProof,
        signed_block_header: header,
        kzg_commitment_inclusion_proof: [],
      });
    });
    return out;
  };

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const url = new URL(req.url ?? "/", "http://beacon");
    const match = ROUTE.exec(url.pathname);
    if (req.method !== "GET" || !match) throw new BeaconApiError(404, `no route ${req.method} ${url.pathname}; this devnet serves GET /eth/v1/beacon/blob_sidecars/{block_id}`);
    const indicesParam = url.searchParams.getAll("indices").flatMap((v) => v.split(",")).filter((v) => v !== "");
    if (indicesParam.some((v) => !/^\d+$/.test(v))) throw new BeaconApiError(400, `Invalid indices: ${indicesParam.join(",")}`);
    const indices = indicesParam.length > 0 ? new Set(indicesParam.map(Number)) : undefined;
    const data = await sidecars(decodeURIComponent(match[1]!), indices);
    res.writeHead(200, { "content-type": "application/json" });
    res.end(JSON.stringify({ execution_optimistic: false, finalized: false, data }));
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((e: unknown) => {
      const code = e instanceof BeaconApiError ? e.code : 500;
      res.writeHead(code, { "content-type": "application/json" });
      res.end(JSON.stringify({ code, message: (e as Error).message }));
    });
  });
  await new Promise<void>((done) => server.listen(options.port, options.host, done));
  const { address, port } = server.address() as AddressInfo;
  return {
    url: `http://${address}:${port}`,
    close: () => new Promise<void>((done) => server.close(() => done())),
  };
}
