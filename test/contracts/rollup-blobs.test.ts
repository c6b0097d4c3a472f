import { expect } from "chai";
import { network } from "hardhat";
import { type Hex, concatHex, encodeFunctionData, keccak256, parseEventLogs, bytesToHex } from "viem";
import {
  type Address,
  encodeBlobPayload,
  kzgToVersionedHash,
  loadKzg,
  rollupAbi,
} from "../../core/index.js";
import { type TypedContract, deployRollup } from "../../scripts/lib/deploy-rollup.js";
import { batchCommitment, submission } from "../helpers/batches.js";
import { rawSender, submitBlobBatchData as blobBatchData } from "../helpers/blob-tx.js";

const { ethers, provider } = await network.create();

const MIN_BOND = 10n ** 18n;
const RECORD_SIZE_L2 = 72; // levels 2
// A key of our own: blob transactions are signed locally and sent raw (docs/blobs.md).
const proposer = rawSender({ provider, ethers }, "0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d");

async function deployFixture() {
  const deployment = await deployRollup(ethers, { levels: 2 });
  // scripts/lib/deploy-rollup.ts types the calldata paths; the blob path is typed here.
  const rollup = deployment.rollup as typeof deployment.rollup & TypedContract<"submitBlobBatch">;
  const [deployer] = await ethers.getSigners();
  await (await deployer!.sendTransaction({ to: proposer.account.address, value: 10n ** 19n })).wait();
  await rollup.grantRole(await rollup.PROPOSER_ROLE(), proposer.account.address);
  await rollup.grantRole(await rollup.PROPOSER_ROLE(), deployer!.address);
  await rollup.depositBond({ value: MIN_BOND });
  const rollupAddress = (await rollup.getAddress()) as Address;
  // The proposer's bond, sent raw like every transaction of this account.
  await sendRaw(rollupAddress, encodeFunctionData({ abi: rollupAbi, functionName: "depositBond" }), [], MIN_BOND);
  return { ...deployment, rollup, rollupAddress, deployer: deployer! };
}

const sendRaw = (to: Address, data: Hex, blobs: Uint8Array[], value = 0n) => proposer.send(to, data, blobs, value);

function submitBlobBatchData(payloadLength: number, blobCount: number, queueEnd = 0n): Hex {
  return blobBatchData(submission({ queueEnd }), payloadLength, blobCount);
}

describe("Rollup blob batches", () => {
  it("submitBlobBatch_type3Tx_recordsVersionedHashesAndDerivesHeader", async () => {
    const { rollup, rollupAddress } = await deployFixture();
    const payload = Uint8Array.from({ length: 10 * RECORD_SIZE_L2 }, (_, i) => (i * 7 + 1) & 0xff);
    const blobs = encodeBlobPayload(payload);
    const receipt = await sendRaw(rollupAddress, submitBlobBatchData(payload.length, blobs.length), blobs);
    expect(receipt.status).to.equal(1);
    const tx = await ethers.provider.getTransaction(receipt.hash);
    expect(tx!.type).to.equal(3);

    const hashes = blobs.map((b) => bytesToHex(kzgToVersionedHash(loadKzg().blobToKzgCommitment(b))));
    const logs = parseEventLogs({ abi: rollupAbi, logs: receipt.logs.map((l) => ({ ...l, topics: [...l.topics], blockHash: l.blockHash, transactionHash: l.transactionHash, logIndex: l.index, transactionIndex: l.transactionIndex, blockNumber: BigInt(l.blockNumber), removed: false })) as never });
    const submitted = logs.find((l) => l.eventName === "BatchSubmitted")!;
    const posted = logs.find((l) => l.eventName === "BatchDataPosted")!;
    expect(posted.args).to.deep.include({ index: 0n, daKind: 1, payloadLength: BigInt(payload.length) });
    expect((posted.args as { blobHashes: readonly Hex[] }).blobHashes).to.deep.equal(hashes);
    const dataHash = keccak256(concatHex(hashes));
    expect((submitted.args as { dataHash: Hex }).dataHash).to.equal(dataHash);
    // The order of the events: the batch, then where its data is.
    expect(logs.indexOf(submitted)).to.be.lessThan(logs.indexOf(posted));

    const s = submission();
    const header = {
      index: 0n,
      parentCommitment: `0x${"00".repeat(32)}`,
      dataHash,
      queueStart: 0n,
      queueEnd: 0n,
      queueHashEnd: 0n,
      preStateRoot: await rollup.genesisStateRoot(),
      postStateRoot: s.postStateRoot,
      withdrawalsRoot: s.withdrawalsRoot,
      stepsRoot: s.stepsRoot,
      stepCount: 10n + 4n,
      feeRecipient: s.feeRecipient,
      feeTokens: s.feeTokens,
    };
    expect((await rollup.batches(0)).commitment).to.equal(batchCommitment(header));
    if (process.env.REPORT_GAS) console.log("submitBlobBatch gas", receipt.gasUsed);
  });

  it("submitBlobBatch_twoBlobs_hashesBothInOrder", async () => {
    const { rollupAddress } = await deployFixture();
    const records = Math.ceil(126_976 / RECORD_SIZE_L2); // just over one blob
    const payload = new Uint8Array(records * RECORD_SIZE_L2).fill(5);
    const blobs = encodeBlobPayload(payload);
    expect(blobs.length).to.equal(2);
    const receipt = await sendRaw(rollupAddress, submitBlobBatchData(payload.length, 2), blobs);
    expect(receipt.status).to.equal(1);
    const posted = parseEventLogs({ abi: rollupAbi, eventName: "BatchDataPosted", logs: receipt.logs.map((l) => ({ ...l, topics: [...l.topics] })) as never });
    expect(posted[0]!.args.blobHashes).to.have.length(2);
  });

  it("submitBlobBatch_moreBlobsThanTheBatchTakes_reverts", async () => {
    const { rollup, rollupAddress } = await deployFixture();
    const blobs = [...encodeBlobPayload(new Uint8Array(RECORD_SIZE_L2)), new Uint8Array(131_072)];
    // Hardhat's in-process provider rejects a reverting raw transaction with its error.
    const error = await sendRaw(rollupAddress, submitBlobBatchData(RECORD_SIZE_L2, 1), blobs).then(() => undefined, (e: Error) => e);
    expect(error?.message).to.match(/UnexpectedBlob\(1\)/);
    expect(await rollup.batchCount()).to.equal(0n);
  });

  it("submitBlobBatch_withoutBlobs_revertsBlobMissing", async () => {
    const { rollup } = await deployFixture();
    await expect(rollup.submitBlobBatch(submission(), RECORD_SIZE_L2, 1)).to.be.revertedWithCustomError(rollup, "BlobMissing").withArgs(0n);
  });

  it("submitBlobBatch_blobCountNotTheLengths_revertsBlobCountMismatch", async () => {
    const { rollup } = await deployFixture();
    await expect(rollup.submitBlobBatch(submission(), RECORD_SIZE_L2, 2)).to.be.revertedWithCustomError(rollup, "BlobCountMismatch").withArgs(2n, 1n);
    await expect(rollup.submitBlobBatch(submission(), 126_946 - 2, 1)).to.be.revertedWithCustomError(rollup, "PayloadLengthNotMultiple");
  });

  it("submitBlobBatch_withoutRole_reverts", async () => {
    const { rollup } = await deployFixture();
    const [, , , outsider] = await ethers.getSigners();
    await expect((rollup.connect(outsider!) as typeof rollup).submitBlobBatch(submission(), 0, 1)).to.be.revertedWithCustomError(rollup, "AccessControlUnauthorizedAccount");
  });
});
