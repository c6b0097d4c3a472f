/**
 * npm run verifier [-- --devnet devnet.json | --l1-rpc URL --rollup 0x… [--bridge 0x…] [--beacon URL]] [-- --json]:
 * a verifier node. Rebuilds the whole L2 state from L1 alone (calldata, ZK calldata and the
 * blobs of the Beacon API; no sequencer access) and prints, per batch, where its data was and
 * the committed and derived state roots, then the last final state (the one accounts exit
 * from in exodus, docs/exodus.md) and whether its derived root is the rollup's. Exits 1 if any
 * batch disagrees, 2 (after one line saying what to do) if it cannot verify.
 */
import { readFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { BaseError as ViemBaseError, createPublicClient, http, isAddress } from "viem";
import { type Address, BaseError, InvalidParameterError, rollupAbi } from "../core/index.js";
import { createDerivationPipeline } from "../derive/pipeline.js";
import { deriveFinalState } from "../derive/final-state.js";

interface DevnetJson {
  readonly l1: { readonly rpcUrl: string };
  readonly contracts: { readonly rollup: Address; readonly bridge: Address };
  readonly beacon?: { readonly url: string };
  readonly deployBlock: number;
}

const short = (root: bigint) => `0x${root.toString(16).padStart(64, "0").slice(0, 12)}…`;

/** Where to verify: from the flags, else from devnet.json. */
async function target(values: Record<string, string | boolean | undefined>) {
  const flag = (name: string) => values[name] as string | undefined;
  let devnet: DevnetJson | undefined;
  if (!flag("l1-rpc")) {
    const path = flag("devnet") ?? "devnet.json";
    try {
      devnet = JSON.parse(readFileSync(path, "utf8")) as DevnetJson;
    } catch (cause) {
      throw new InvalidParameterError(`cannot read the devnet description ${path}`, {
        details: "start a devnet (npm run devnet) in this folder, pass --devnet <path>, or pass --l1-rpc <url> --rollup <address>",
        cause,
      });
    }
  }
  const l1RpcUrl = flag("l1-rpc") ?? devnet!.l1.rpcUrl;
  const rollup = flag("rollup") ?? devnet?.contracts.rollup;
  if (!rollup || !isAddress(rollup)) {
    throw new InvalidParameterError(rollup ? `--rollup must be an address, got ${rollup}` : "no rollup address", { details: "pass --rollup <address> with --l1-rpc" });
  }
  const client = createPublicClient({ transport: http(l1RpcUrl, { batch: false }) });
  let bridge = flag("bridge") ?? devnet?.contracts.bridge;
  if (bridge !== undefined && !isAddress(bridge)) throw new InvalidParameterError(`--bridge must be an address, got ${bridge}`);
  bridge ??= await client.readContract({ address: rollup, abi: rollupAbi, functionName: "bridge" }).catch((cause: unknown) => {
    throw new InvalidParameterError(`cannot read the rollup at ${rollup} on the L1 at ${l1RpcUrl}`, {
      details: "check that the L1 is running and that the address is the rollup's",
      cause,
    });
  });
  return {
    l1RpcUrl,
    client,
    contracts: { rollup: rollup as Address, bridge: bridge as Address },
    beaconUrl: flag("beacon") ?? devnet?.beacon?.url,
    fromBlock: BigInt(flag("from-block") ?? devnet?.deployBlock ?? 0),
  };
}

async function verify(): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({
      options: {
        devnet: { type: "string" },
        "l1-rpc": { type: "string" },
        rollup: { type: "string" },
        bridge: { type: "string" },
        beacon: { type: "string" },
        "from-block": { type: "string" },
        json: { type: "boolean", default: false },
      },
    }));
  } catch (cause) {
    throw new InvalidParameterError((cause as Error).message, { details: "the flags are --devnet, --l1-rpc, --rollup, --bridge, --beacon, --from-block and --json" });
  }
  const { l1RpcUrl, contracts, beaconUrl, fromBlock } = await target(values);
  const started = Date.now();
  const pipeline = await createDerivationPipeline({ l1RpcUrl, contracts, beaconUrl, fromBlock });
  const events = await pipeline.sync();
  let disagreements = 0;
  const rows: object[] = [];
  for (const event of events) {
    if (event.kind === "rolledBack") {
      console.log(`batches ${event.fromIndex}..${event.fromIndex + event.count - 1} removed on L1 (block ${event.l1Block}): rolled back`);
      continue;
    }
    const r = event.report;
    const decoded = pipeline.deriver.batch(r.index)?.decoded;
    const da = decoded ? (decoded.settlement === "zk" ? "zk" : decoded.da) : "?";
    if (!r.agrees) disagreements++;
    rows.push({ batch: r.index, da, l1Block: Number(r.l1Block), committed: r.committed.postStateRoot.toString(), derived: r.derived.postStateRoot.toString(), agrees: r.agrees });
    console.log(
      `batch ${String(r.index).padStart(3)}  ${da.padEnd(8)} L1 block ${String(r.l1Block).padStart(5)}  ${String(r.stepCount).padStart(5)} steps  committed ${short(r.committed.postStateRoot)}  derived ${short(r.derived.postStateRoot)}  ${r.agrees ? "ok" : `MISMATCH (${r.mismatches.join(", ")})`}` +
        (decoded?.malformed ? `\n            its blobs do not state its payload (${decoded.malformed}): executed as zero bytes, every op skipped` : ""),
    );
  }
  const stateRoot = pipeline.deriver.state.stateRoot;
  console.log(
    `\n${pipeline.deriver.batchCount} batches derived from L1${beaconUrl ? ` and the Beacon API at ${beaconUrl}` : ""} in ${((Date.now() - started) / 1000).toFixed(1)} s; ` +
      `state root ${short(stateRoot)}; ${disagreements === 0 ? "every batch agrees" : `${disagreements} batch(es) disagree`}`,
  );
  let final: { batches: number; stateRoot: string; exodus: boolean } | { error: string };
  try {
    const f = await deriveFinalState(pipeline);
    final = { batches: f.finalBatches, stateRoot: f.stateRoot.toString(), exodus: f.exodus };
    console.log(
      `${f.exodus ? "the rollup is in EXODUS: accounts exit from" : "last final state:"} the state after ${f.finalBatches} final batch(es), root ${short(f.stateRoot)}, ` +
        `rebuilt from L1 and equal to the rollup's; ${f.state.accountCount} account(s)`,
    );
  } catch (e) {
    if (!(e instanceof BaseError)) throw e;
    final = { error: e.shortMessage };
    disagreements++;
    console.log(`last final state: ${oneLine(e)}`);
  }
  if (values.json) console.log(JSON.stringify({ batches: rows, stateRoot: stateRoot.toString(), final, disagreements }));
  return disagreements === 0 ? 0 : 1;
}

function oneLine(e: unknown): string {
  if (e instanceof BaseError) return e.details ? `${e.shortMessage} — ${e.details}` : e.shortMessage;
  if (e instanceof ViemBaseError) return `${e.shortMessage} — is the L1 running at that URL?`;
  return e instanceof Error ? (e.message.split("\n")[0] ?? e.name) : String(e);
}

try {
  process.exit(await verify());
} catch (e) {
  console.error(`error: ${oneLine(e)}`);
  process.exit(2);
}
