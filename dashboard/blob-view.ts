/**
 * A blob batch as the Beacon API serves it: each blob's KZG commitment and versioned hash
 * (checked against the hashes the rollup recorded), and the map of its 4096 field elements
 * (the stream header, the payload's ops, the zero tail) with the elements a one-step proof
 * opened.
 */
import { type Hex } from "viem";
import { DATA_BYTES_PER_FIELD_ELEMENT, FIELD_ELEMENTS_PER_BLOB, bytesToHex, hexToBytes, kzgToVersionedHash } from "../core/index.js";
import { DashboardSourceError } from "./errors.js";
import { type BatchPosting } from "./l1-history.js";

/**
 * What the blob view draws.
 *
 * @example
 * const view: BlobBatchView = await readBlobBatch(beaconUrl, posting, { recordSize: 76, openedElements: [0, 33, 34, 35] })
 */
export interface BlobBatchView {
  readonly batchIndex: number;
  readonly block: number;
  readonly payloadLength: number;
  readonly recordSize: number;
  readonly opCount: number;
  /** Stream elements holding data: the header and the payload. */
  readonly usedElements: number;
  readonly blobs: readonly {
    readonly index: number;
    readonly kzgCommitment: Hex;
    readonly kzgProof: Hex;
    /** 0x01 ‖ sha256(commitment)[1:], computed here. */
    readonly versionedHash: Hex;
    /** The versioned hash the rollup recorded (BLOBHASH) for this blob. */
    readonly recordedHash: Hex;
    readonly matches: boolean;
  }[];
  /** The 32-byte values of the used elements (hex), in stream order. */
  readonly elements: readonly Hex[];
  readonly openedElements: readonly number[];
  readonly elementsPerBlob: number;
  readonly dataBytesPerElement: number;
}

interface Sidecar {
  readonly index: string;
  readonly blob: Hex;
  readonly kzg_commitment: Hex;
  readonly kzg_proof: Hex;
}

/**
 * Fetches a blob batch's sidecars from the Beacon API (slot = the L1 block of its posting)
 * and builds its view. Throws when the API does not answer or lacks one of its blobs.
 *
 * @example
 * const view = await readBlobBatch("http://127.0.0.1:5052", posting, { recordSize: 76, openedElements: [] })
 */
export async function readBlobBatch(beaconUrl: string, posting: BatchPosting, options: { recordSize: number; openedElements: readonly number[] }): Promise<BlobBatchView> {
  const response = await fetch(`${beaconUrl}/eth/v1/beacon/blob_sidecars/${posting.block}`);
  if (!response.ok) throw new DashboardSourceError(`the Beacon API answered ${response.status} for block ${posting.block}`, { details: `is ${beaconUrl} the Beacon API of this L1?` });
  const { data } = (await response.json()) as { data: Sidecar[] };
  const byHash = new Map(data.map((s) => [bytesToHex(kzgToVersionedHash(hexToBytes(s.kzg_commitment))), s]));
  const payloadLength = posting.payloadLength ?? 0;
  const usedElements = Math.ceil((DATA_BYTES_PER_FIELD_ELEMENT + payloadLength) / DATA_BYTES_PER_FIELD_ELEMENT);
  const blobs = posting.blobHashes.map((recordedHash, index) => {
    const sidecar = byHash.get(recordedHash);
    if (!sidecar) throw new DashboardSourceError(`the Beacon API has no sidecar with versioned hash ${recordedHash} in block ${posting.block}`, { details: "a devnet serves only the blobs it posted since its L1 started" });
    return { index, kzgCommitment: sidecar.kzg_commitment, kzgProof: sidecar.kzg_proof, versionedHash: recordedHash, recordedHash, matches: true, sidecar };
  });
  const elements: Hex[] = [];
  for (let e = 0; e < usedElements; e++) {
    const blob = blobs[Math.floor(e / FIELD_ELEMENTS_PER_BLOB)];
    if (!blob) break;
    const offset = 2 + (e % FIELD_ELEMENTS_PER_BLOB) * 64;
    elements.push(`0x${blob.sidecar.blob.slice(offset, offset + 64)}`);
  }
  return {
    batchIndex: posting.index,
    block: posting.block,
    payloadLength,
    recordSize: options.recordSize,
    opCount: payloadLength / options.recordSize,
    usedElements,
    blobs: blobs.map(({ sidecar: _sidecar, ...b }) => b),
    elements,
    openedElements: options.openedElements,
    elementsPerBlob: FIELD_ELEMENTS_PER_BLOB,
    dataBytesPerElement: DATA_BYTES_PER_FIELD_ELEMENT,
  };
}
