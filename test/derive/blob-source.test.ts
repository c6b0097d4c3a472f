import { expect } from "chai";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { type Hex, bytesToHex, concatHex, keccak256 } from "viem";
import { encodeBlobPayload, kzgToVersionedHash, loadKzg } from "../../core/index.js";
import { BlobSource } from "../../derive/blob-source.js";
import { DerivationError } from "../../derive/errors.js";
import type { BatchDataLog } from "../../derive/calldata-source.js";
import type { BatchSubmittedLog, RollupLog } from "../../derive/l1-traversal.js";

const BLOCK_HASH = `0x${"ab".repeat(32)}` as Hex;

/** A Beacon API serving `sidecars` for BLOCK_HASH (the devnet's is devnet/beacon.ts). */
async function beacon(sidecars: { blob: Uint8Array; commitment?: Uint8Array; proof?: Uint8Array }[]): Promise<{ url: string; server: Server }> {
  const kzg = loadKzg();
  const data = sidecars.map((s, index) => {
    const commitment = s.commitment ?? kzg.blobToKzgCommitment(s.blob);
    return { index: String(index), blob: bytesToHex(s.blob), kzg_commitment: bytesToHex(commitment), kzg_proof: bytesToHex(s.proof ?? kzg.computeBlobKzgProof(s.blob, commitment)) };
  });
  const server = createServer((req, res) => {
    const ok = req.url === `/eth/v1/beacon/blob_sidecars/${BLOCK_HASH}`;
    res.writeHead(ok ? 200 : 404, { "content-type": "application/json" });
    res.end(JSON.stringify(ok ? { data } : { message: "not found" }));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server };
}

/** The `BatchSubmitted` of a blob batch with these blobs and stated payload length. */
function batchLog(blobs: readonly Uint8Array[], payloadLength: number): BatchSubmittedLog {
  const versionedHashes = blobs.map((b) => bytesToHex(kzgToVersionedHash(loadKzg().blobToKzgCommitment(b))));
  return {
    kind: "batchSubmitted",
    index: 0,
    commitment: `0x${"00".repeat(32)}`,
    proposer: "0x0000000000000000000000000000000000000001",
    preStateRoot: 0n,
    postStateRoot: 0n,
    withdrawalsRoot: 0n,
    stepsRoot: `0x${"00".repeat(32)}`,
    dataHash: keccak256(concatHex(versionedHashes)),
    queueStart: 0,
    queueEnd: 0,
    feeRecipient: "0x0000000000000000000000000000000000000002",
    feeTokens: [0, 0, 0, 0],
    txHash: `0x${"00".repeat(32)}`,
    l1Block: 7n,
    l1BlockHash: BLOCK_HASH,
    blobs: { versionedHashes, payloadLength },
  };
}

async function source(log: BatchSubmittedLog, url: string): Promise<BatchDataLog> {
  const logs: RollupLog[] = [log];
  const out = await new BlobSource({ next: async () => logs.shift() }, url).next();
  return out as BatchDataLog;
}

describe("derive: blob source", () => {
  const servers: Server[] = [];
  after(() => servers.forEach((s) => s.close()));
  const serve = async (sidecars: Parameters<typeof beacon>[0]) => {
    const b = await beacon(sidecars);
    servers.push(b.server);
    return b.url;
  };

  it("blobBatch_wellFormed_payloadAndBlobsAttached", async () => {
    const payload = Uint8Array.from({ length: 76 * 3 }, (_, i) => i & 0xff);
    const blobs = encodeBlobPayload(payload);
    const out = await source(batchLog(blobs, payload.length), await serve([{ blob: blobs[0]! }]));
    expect(out).to.deep.include({ kind: "batchData", da: "blobs", payload: bytesToHex(payload), malformed: undefined });
    expect(out.blobData).to.deep.equal(blobs);
  });

  it("blobBatch_headerStatesAnotherLength_zeroBytesOfTheCommittedLength", async () => {
    // docs/protocol.md §9: blobs that match their versioned hashes but do not state the
    // batch's payload are a valid batch of that many zero bytes (every op skipped).
    const payload = Uint8Array.from({ length: 76 * 3 }, (_, i) => (i * 3) & 0xff);
    const blobs = encodeBlobPayload(payload);
    blobs[0]![4] = 1; // length byte 2: 256 more than committed
    const out = await source(batchLog(blobs, payload.length), await serve([{ blob: blobs[0]! }]));
    expect(out.payload).to.equal(bytesToHex(new Uint8Array(payload.length)));
    expect(out.malformed).to.equal(`the blob header states ${payload.length + 256} payload bytes, the batch committed to ${payload.length}`);
    expect(out.blobData).to.deep.equal(blobs);
  });

  it("blobBatch_sidecarNotMatchingItsProof_derivationErrorNamesTheBlob", async () => {
    const blobs = encodeBlobPayload(new Uint8Array(76));
    const other = encodeBlobPayload(new Uint8Array(76).fill(1))[0]!;
    const commitment = loadKzg().blobToKzgCommitment(blobs[0]!);
    // The commitment is the batch's, the blob is not the one it commits to.
    const url = await serve([{ blob: other, commitment, proof: loadKzg().computeBlobKzgProof(blobs[0]!, commitment) }]);
    const error = await source(batchLog(blobs, 76), url).then(() => undefined, (e: unknown) => e);
    expect(error).to.be.instanceOf(DerivationError);
    expect((error as DerivationError).shortMessage).to.equal("batch 0: the Beacon API's blob 0 of L1 block 7 does not match its KZG commitment");
  });

  it("blobBatch_sidecarMissing_derivationErrorSaysWhichBlob", async () => {
    const blobs = encodeBlobPayload(new Uint8Array(76));
    const url = await serve([]);
    const error = await source(batchLog(blobs, 76), url).then(() => undefined, (e: unknown) => e);
    expect(error).to.be.instanceOf(DerivationError);
    expect((error as DerivationError).shortMessage).to.match(/^batch 0: blob 0 \(versioned hash 0x01[0-9a-f]{62}\) is not among the 0 sidecars of L1 block 7$/);
  });

  it("blobBatch_consensusClientBeaconApi_sidecarsReadByTheSlotOfTheBlockTime", async () => {
    // A consensus client's Beacon API names blocks by slot: (block time - genesis time) / slot length.
    const payload = Uint8Array.from({ length: 76 * 2 }, (_, i) => (i * 5) & 0xff);
    const blobs = encodeBlobPayload(payload);
    const kzg = loadKzg();
    const commitment = kzg.blobToKzgCommitment(blobs[0]!);
    const sidecar = { index: "0", blob: bytesToHex(blobs[0]!), kzg_commitment: bytesToHex(commitment), kzg_proof: bytesToHex(kzg.computeBlobKzgProof(blobs[0]!, commitment)) };
    const routes: Record<string, unknown> = {
      "/eth/v1/beacon/genesis": { data: { genesis_time: "1000" } },
      "/eth/v1/config/spec": { data: { SECONDS_PER_SLOT: "12" } },
      "/eth/v1/beacon/blob_sidecars/7": { data: [sidecar] },
    };
    const requested: string[] = [];
    const server = createServer((req, res) => {
      requested.push(req.url!);
      const body = routes[req.url!];
      res.writeHead(body ? 200 : 404, { "content-type": "application/json" });
      res.end(JSON.stringify(body ?? { message: "not found" }));
    });
    servers.push(server);
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const client = {
      getBlock: async ({ blockHash }: { blockHash: Hex }) => ({ timestamp: blockHash === BLOCK_HASH ? 1000n + 7n * 12n + 5n : 0n }),
    };
    const logs: RollupLog[] = [batchLog(blobs, payload.length)];
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const out = (await new BlobSource({ next: async () => logs.shift() }, url, client as never).next()) as BatchDataLog;
    expect(out.payload).to.equal(bytesToHex(payload));
    expect(requested).to.deep.equal(["/eth/v1/beacon/genesis", "/eth/v1/config/spec", "/eth/v1/beacon/blob_sidecars/7"]);
  });
});
