/**
 * npm run bench:stf [-- --json] [--levels N] [--accounts N] [--transfers N] [--threads N]
 *
 * Signed transfers applied per second through the reference STF at the default tree depth
 * (2^24 accounts), signature checks included. Signature checks run on worker threads,
 * one chunk ahead of the tree updates, which stay sequential on the main thread (every op
 * needs its own state root for the dispute game). Also reports the raw rates of the parts.
 */
import { availableParallelism } from "node:os";
import { parseArgs } from "node:util";
import { keccak_256 } from "@noble/hashes/sha3.js";
import {
  BatchExecutor,
  InvariantViolationError,
  L2State,
  NO_TOKEN,
  QueueKind,
  cryptoBackend,
  domainSeparator,
  encodeFloat40,
  encodeFloat8,
  l2OpMessage,
  poseidon8,
  publicKeyOf,
  resolveParams,
  signMessage,
  verifyWireSignature,
  type Address,
  type L2Op,
} from "../core/index.js";
import { SignaturePool, type SignatureJob } from "./lib/signature-pool.js";

const { values } = parseArgs({
  options: {
    json: { type: "boolean", default: false },
    levels: { type: "string", default: "8" },
    accounts: { type: "string", default: "2000" },
    transfers: { type: "string", default: "8000" },
    chunk: { type: "string", default: "500" },
    threads: { type: "string", default: String(availableParallelism()) },
  },
});
const levels = Number(values.levels);
const accountCount = Number(values.accounts);
const transferCount = Number(values.transfers);
const chunkSize = Number(values.chunk);
const threads = Number(values.threads);
const log = (line: string): void => {
  if (!values.json) console.log(line);
};

const params = resolveParams({ levels });
const domain = domainSeparator({ l1ChainId: 31337, l2ChainId: 424242, rollupAddress: "0x5fbdb2315678afecb367f032d93f642f64180aa3" });
const header = { feeRecipient: "0x000000000000000000000000000000000000fee5" as Address, feeTokens: [0, NO_TOKEN, NO_TOKEN, NO_TOKEN] };

log(`crypto backend: ${cryptoBackend}; tree: 8-ary, ${levels} levels (2^${3 * levels} accounts); ${threads} thread(s) for signatures`);

// Accounts, created the way the L1 queue creates them.
const keys = Array.from({ length: accountCount }, (_, i) => keccak_256(new TextEncoder().encode(`bench ${i}`)));
const genesis = L2State.genesis(params);
const setup = new BatchExecutor(genesis, header, { domain, mode: "optimistic" });
for (const key of keys) {
  const { x, y } = publicKeyOf(key);
  setup.applyQueueEntry({ kind: QueueKind.CreateAccount, l1Address: "0x00000000000000000000000000000000000000aa", tokenId: 0, accountIdx: 0, amount: 10n ** 24n, Ax: x, Ay: y });
}
setup.finish();

// Signed transfers between random accounts, with the nonces they will have.
let seed = 12345;
const random = (n: number): number => {
  seed = (seed * 1103515245 + 12345) >>> 0;
  return seed % n;
};
const nonces = new Array<number>(accountCount).fill(0);
const ops: L2Op[] = [];
const jobs: SignatureJob[] = [];
let started = performance.now();
for (let i = 0; i < transferCount; i++) {
  const from = random(accountCount);
  const to = random(accountCount);
  const unsigned: L2Op = { fromIdx: from + 2, toIdx: to + 2, amountFloat40: encodeFloat40(1000n + BigInt(i)), feeFloat8: encodeFloat8(1n) };
  const nonce = nonces[from]!;
  nonces[from] = nonce + 1;
  const message = l2OpMessage(unsigned, { tokenId: 0, nonce }, domain);
  const signature = signMessage(keys[from]!, message);
  const account = genesis.account(from + 2)!;
  ops.push({ ...unsigned, signature });
  jobs.push({ message, signature, Ax: account.Ax, Ay: account.Ay });
}
log(`signed ${transferCount} transfers in ${((performance.now() - started) / 1000).toFixed(1)} s (not measured below)`);

// Raw rates of the parts.
const hashInputs = [1n, 2n, 3n, 4n, 5n, 6n, 7n, 8n];
started = performance.now();
const hashRuns = 20000;
for (let i = 0; i < hashRuns; i++) {
  hashInputs[0] = BigInt(i);
  poseidon8(hashInputs);
}
const hashesPerSecond = hashRuns / ((performance.now() - started) / 1000);

started = performance.now();
const singleRuns = Math.min(2000, jobs.length);
for (let i = 0; i < singleRuns; i++) verifyWireSignature(jobs[i]!.message, jobs[i]!.signature, { x: jobs[i]!.Ax, y: jobs[i]!.Ay });
const verifiesPerSecondOneThread = singleRuns / ((performance.now() - started) / 1000);

const pool = new SignaturePool(threads);
await pool.verify(jobs.slice(0, threads * 4)); // warm the workers up
started = performance.now();
const allVerdicts = await pool.verify(jobs);
const signatureVerificationsPerSecond = jobs.length / ((performance.now() - started) / 1000);
if (allVerdicts.some((v) => !v)) throw new InvariantViolationError("a valid signature failed verification", { details: "the signature pool and signMessage disagree" });

// The measured run: verify chunk k+1 on the workers while the main thread applies chunk k.
const state = genesis.clone();
let applied = 0;
started = performance.now();
let nextVerdicts = pool.verify(jobs.slice(0, chunkSize));
for (let start = 0; start < ops.length; start += chunkSize) {
  const verdicts = await nextVerdicts;
  const chunkJobs = jobs.slice(start, start + chunkSize);
  if (start + chunkSize < ops.length) nextVerdicts = pool.verify(jobs.slice(start + chunkSize, start + 2 * chunkSize));
  const verifier = pool.verifierFor(chunkJobs, verdicts, verifyWireSignature);
  const chunkExecutor = new BatchExecutor(state, header, { domain, mode: "optimistic", verifySignature: verifier });
  for (const op of ops.slice(start, start + chunkSize)) if (chunkExecutor.applyL2Op(op).outcome === "Applied") applied++;
  chunkExecutor.finish();
}
const seconds = (performance.now() - started) / 1000;
await pool.close();
if (applied !== transferCount) {
  throw new InvariantViolationError(`only ${applied} of ${transferCount} transfers applied`, { details: "every generated transfer is valid: the STF or the pool's verdicts are wrong" });
}
const transfersPerSecond = transferCount / seconds;

const rows: [string, string][] = [
  ["signed transfers through the STF", `${transfersPerSecond.toFixed(0)} /s (${transferCount} in ${seconds.toFixed(2)} s)`],
  [`EdDSA verifications (${threads} worker thread(s))`, `${signatureVerificationsPerSecond.toFixed(0)} /s`],
  ["EdDSA verifications (1 thread)", `${verifiesPerSecondOneThread.toFixed(0)} /s`],
  ["Poseidon(8) hashes (1 thread)", `${hashesPerSecond.toFixed(0)} /s`],
];
const width = Math.max(...rows.map(([k]) => k.length));
log("");
for (const [k, v] of rows) log(`${k.padEnd(width)}  ${v}`);
if (values.json) {
  console.log(
    JSON.stringify({
      transfersPerSecond: Math.round(transfersPerSecond),
      signatureVerificationsPerSecond: Math.round(signatureVerificationsPerSecond),
      hashesPerSecond: Math.round(hashesPerSecond),
      accountsLog2: 3 * levels,
      threads,
      cryptoBackend,
    }),
  );
}
