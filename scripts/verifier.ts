/**
 * npm run verifier [-- --devnet devnet.json | --l1-rpc URL --rollup 0x… --bridge 0x… --beacon URL]:
 * a verifier node. Rebuilds the whole L2 state from L1 alone (calldata and the blobs of the
 * Beacon API; no sequencer access) and prints, per batch, where its data was and the
 * committed and derived state roots. Exits 1 if any batch disagrees.
 */
import { readFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { createDerivationPipeline } from "../derive/pipeline.js";
import type { Address } from "../core/index.js";

const { values } = parseArgs({
  options: {
    devnet: { type: "string", default: "devnet.json" },
    "l1-rpc": { type: "string" },
    rollup: { type: "string" },
    bridge: { type: "string" },
    beacon: { type: "string" },
    "from-block": { type: "string" },
    json: { type: "boolean", default: false },
  },
});

const devnet = values["l1-rpc"]
  ? undefined
  : (JSON.parse(readFileSync(values.devnet, "utf8")) as {
      l1: { rpcUrl: string };
      contracts: { rollup: Address; bridge: Address };
      beacon?: { url: string };
      deployBlock: number;
    });
const l1RpcUrl = values["l1-rpc"] ?? devnet!.l1.rpcUrl;
const contracts = { rollup: (values.rollup ?? devnet!.contracts.rollup) as Address, bridge: (values.bridge ?? devnet!.contracts.bridge) as Address };
const beaconUrl = values.beacon ?? devnet?.beacon?.url;
const fromBlock = BigInt(values["from-block"] ?? devnet?.deployBlock ?? 0);

const started = Date.now();
const pipeline = await createDerivationPipeline({ l1RpcUrl, contracts, beaconUrl, fromBlock });
const events = await pipeline.sync();
const short = (root: bigint) => `0x${root.toString(16).padStart(64, "0").slice(0, 12)}…`;
let disagreements = 0;
const rows: object[] = [];
for (const event of events) {
  if (event.kind === "rolledBack") {
    console.log(`batches ${event.fromIndex}..${event.fromIndex + event.count - 1} invalidated on L1 (block ${event.l1Block}): rolled back`);
    continue;
  }
  const r = event.report;
  const decoded = pipeline.deriver.batch(r.index)?.decoded;
  const da = decoded?.da ?? "?";
  if (!r.agrees) disagreements++;
  rows.push({ batch: r.index, da, l1Block: Number(r.l1Block), committed: r.committed.postStateRoot.toString(), derived: r.derived.postStateRoot.toString(), agrees: r.agrees });
  console.log(
    `batch ${String(r.index).padStart(3)}  ${da.padEnd(8)} L1 block ${String(r.l1Block).padStart(5)}  ${String(r.stepCount).padStart(5)} steps  committed ${short(r.committed.postStateRoot)}  derived ${short(r.derived.postStateRoot)}  ${r.agrees ? "ok" : `MISMATCH (${r.mismatches.join(", ")})`}` +
      (decoded?.malformed ? `\n            its blobs do not state its payload (${decoded.malformed}): executed as zero bytes, every op skipped` : ""),
  );
}
const onL1 = pipeline.deriver.state.stateRoot;
console.log(
  `\n${pipeline.deriver.batchCount} batches derived from L1${beaconUrl ? ` and the Beacon API at ${beaconUrl}` : ""} in ${((Date.now() - started) / 1000).toFixed(1)} s; ` +
    `state root ${short(onL1)}; ${disagreements === 0 ? "every batch agrees" : `${disagreements} batch(es) disagree`}`,
);
if (values.json) console.log(JSON.stringify({ batches: rows, stateRoot: onL1.toString(), disagreements }));
process.exit(disagreements === 0 ? 0 : 1);
