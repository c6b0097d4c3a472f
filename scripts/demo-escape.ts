/**
 * npm run demo:escape [-- --da calldata|blobs] [-- --settlement optimistic|zk] [-- --json]
 *
 * The exit guarantee from start to end, in plain words (docs/exodus.md): users hold funds on
 * the L2, the operator stops for good, a user asks to leave through L1 (a forced exit), the
 * inclusion deadline and the exodus delay pass with no batch, anyone switches the rollup into
 * exodus, each user rebuilds the last final state from L1 data alone (calldata, or the blobs
 * of the Beacon API) and takes exactly their balance out on L1, and a deposit no batch took is
 * refunded. With `--json` the last line is
 * `{"settlement","da","rebuiltFromL1","exitedWei","expectedWei","exodusWithdrawGas"}`.
 */
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { type Hex, formatEther, parseEther } from "viem";
import { type RollupClient } from "../client/index.js";
import { BaseError, InvalidParameterError, InvariantViolationError, bridgeAbi, rollupAbi } from "../core/index.js";
import { waitFor } from "../core/wait.js";
import { deriveFinalState } from "../derive/final-state.js";
import { createDerivationPipeline } from "../derive/pipeline.js";
import { type Devnet, startDevnet } from "../devnet/start.js";

const DAY = 24 * 3600;
const INCLUSION_WINDOW = DAY;
const EXODUS_DELAY = DAY;

function options(): { da: "calldata" | "blobs"; settlement: "optimistic" | "zk"; json: boolean } {
  let values;
  try {
    ({ values } = parseArgs({
      options: { da: { type: "string", default: "calldata" }, settlement: { type: "string", default: "optimistic" }, json: { type: "boolean", default: false } },
    }));
  } catch (cause) {
    throw new InvalidParameterError((cause as Error).message, { details: "the flags are --da calldata|blobs, --settlement optimistic|zk and --json", cause });
  }
  const { da, settlement, json } = values;
  if (da !== "calldata" && da !== "blobs") throw new InvalidParameterError(`--da is calldata or blobs, got ${da}`, { details: "run `npm run demo:escape -- --da blobs`, or leave --da out" });
  if (settlement !== "optimistic" && settlement !== "zk") {
    throw new InvalidParameterError(`--settlement is optimistic or zk, got ${settlement}`, { details: "run `npm run demo:escape -- --settlement zk`, or leave it out" });
  }
  return { da, settlement, json: json ?? false };
}

async function demo(): Promise<void> {
  const { da, settlement, json } = options();
  const started = Date.now();
  const say = (text: string) => console.log(`[${((Date.now() - started) / 1000).toFixed(1).padStart(5)} s] ${text}`);
  const eth = (wei: bigint) => `${formatEther(wei)} ETH`;

  console.log(`Escape demo: ${settlement} settlement, batch data in ${da}\n`);
  say(`starting a devnet (inclusion window ${INCLUSION_WINDOW / 3600} h, exodus delay ${EXODUS_DELAY / 3600} h${settlement === "zk" ? "; every batch proved with Groth16, INSECURE dev setup" : ""})`);
  const devnet: Devnet = await startDevnet({
    l1Port: 0,
    l2Port: 0,
    dataDir: mkdtempSync(join(tmpdir(), "demo-escape-")),
    batchIntervalMs: 300,
    fundedAccounts: 3,
    challenger: false,
    inclusionWindow: INCLUSION_WINDOW,
    exodusDelay: EXODUS_DELAY,
    da,
    settlement,
    onLog: settlement === "zk" ? (line) => say(`  ${line}`) : undefined,
  });
  try {
    const { info, l1Client } = devnet;
    const [alice, bob, carol, dave] = [0, 1, 2, 3].map((n) => devnet.client(n)) as [RollupClient, RollupClient, RollupClient, RollupClient];
    const users = [
      { name: "Alice", their: "her", client: alice, index: info.accounts[0]!.l2Accounts!.ETH },
      { name: "Bob", their: "his", client: bob, index: info.accounts[1]!.l2Accounts!.ETH },
      { name: "Carol", their: "her", client: carol, index: info.accounts[2]!.l2Accounts!.ETH },
    ];
    const rollup = { address: info.contracts.rollup, abi: rollupAbi } as const;
    const lockedEth = () => l1Client.readContract({ address: info.contracts.bridge, abi: bridgeAbi, functionName: "totalLocked", args: [0] });

    // ─── Users hold funds on L2 ─────────────────────────────────────────────────────────────
    say(`devnet up: Alice, Bob and Carol each have 100 ETH on the L2 (accounts #${users.map((u) => u.index).join(", #")})`);
    say("they use it: Alice pays Bob 1.5 ETH, Bob pays Carol 0.25 ETH, Carol pays Alice 0.1 ETH");
    await alice.transfer({ toIdx: users[1]!.index, amount: parseEther("1.5") });
    await bob.transfer({ toIdx: users[2]!.index, amount: parseEther("0.25") });
    const last = await carol.transfer({ toIdx: users[0]!.index, amount: parseEther("0.1") });
    const finalOp = await carol.waitForOp({ hash: last.hash, status: settlement === "zk" ? "final" : "batched", timeout: 120_000 });
    await waitFor("every batch on L1", async () => {
      const s = await alice.getRollupStatus();
      return s.openBatch === null && s.unconsumedQueueEntries === 0 && s.postedBatches === s.batches;
    }, { timeoutMs: 120_000 });
    if (settlement === "optimistic") {
      say(`the batches are on L1 (${da}); a week passes with no dispute, so they are final (warp ${info.challengeWindow + 1} s)`);
      await devnet.warp(info.challengeWindow + 1);
    } else {
      say(`the batches are on L1 with their proofs, final at once (the last one, batch ${finalOp.batch}, proved in L1 tx ${short(finalOp.l1TxHash!)})`);
    }
    const expected = new Map<string, bigint>();
    for (const u of users) {
      const balance = (await u.client.getAccount({ index: u.index }))!.balance;
      expected.set(u.name, balance);
      say(`  ${u.name} holds ${eth(balance)} on L2 (account #${u.index})`);
    }

    // ─── The operator stops for good ──────────────────────────────────────────────────────
    say("the OPERATOR STOPS for good: its sequencer is killed, nobody will post a batch again");
    await devnet.sequencer.kill();
    const refundAmount = parseEther("0.3");
    const deposit = await carol.deposit({ accountIdx: users[2]!.index, amount: refundAmount });
    say(`unaware, Carol deposits ${eth(refundAmount)} into her L2 account on L1 (queue entry ${deposit.queueIndex}): no batch will ever take it`);
    const exit = await bob.forcedExit({ accountIdx: users[1]!.index });
    say(`Bob wants out: he asks the L1 for a FORCED EXIT of account #${users[1]!.index} (queue entry ${exit.queueIndex}); a batch must take it within the ${INCLUSION_WINDOW / 3600} h inclusion window`);
    const before = await alice.getExodusStatus();
    const entry = before.entry!;
    say(`no batch comes. The exodus becomes due after L1 time ${iso(entry.dueAt)}: the oldest waiting entry's deadline (${iso(entry.deadline)}) + the ${EXODUS_DELAY / 3600} h exodus delay`);
    const wait = Number(entry.dueAt - before.l1Time) + 1;
    say(`time passes (warp ${wait} s): the entry is overdue and nothing was posted for the whole exodus delay`);
    await devnet.warp(wait);

    // ─── Anyone activates the exodus ──────────────────────────────────────────────────────
    const activated = await dave.activateExodus();
    const activationGas = (await l1Client.getTransactionReceipt({ hash: activated.l1TxHash })).gasUsed;
    say(`Dave, who has no funds on the L2, ACTIVATES THE EXODUS (queue entry ${activated.queueIndex}, ${activationGas} gas): the rollup keeps its ${activated.finalBatches} final batch(es), removes ${activated.removedBatches}, and takes no batch again`);

    // ─── The state is rebuilt from L1 alone ───────────────────────────────────────────────
    const pipeline = await createDerivationPipeline({ l1RpcUrl: info.l1.rpcUrl, contracts: info.contracts, beaconUrl: info.beacon.url, fromBlock: BigInt(info.deployBlock) });
    const onL1 = await l1Client.readContract({ ...rollup, functionName: "lastStateRoot" });
    let rebuiltFromL1 = false;
    try {
      const final = await deriveFinalState(pipeline);
      rebuiltFromL1 = final.exodus && final.stateRoot === onL1;
      say(
        `with no sequencer, the last final state is rebuilt from L1 ${da === "blobs" ? "logs, and the blobs of the Beacon API," : settlement === "zk" ? "logs and the ZK batches' calldata" : "logs and batch calldata"} alone: ` +
          `${final.finalBatches} batch(es), ${final.state.accountCount} accounts, root ${short(final.stateRoot)} ${rebuiltFromL1 ? "==" : "!="} the rollup's lastStateRoot ${short(onL1)}`,
      );
    } catch (e) {
      say(`the last final state could NOT be rebuilt from L1: ${e instanceof BaseError ? e.shortMessage : String(e)}`);
    }

    // ─── Each user takes their balance out ────────────────────────────────────────────────
    const lockedBefore = await lockedEth();
    let exitedWei = 0n;
    let exodusWithdrawGas = 0n;
    let refundGas = 0n;
    for (const u of users) {
      const address = u.client.account.address;
      const l1Before = await l1Client.getBalance({ address });
      const txs: Hex[] = [];
      const { exits, claims } = await u.client.exodusWithdraw();
      txs.push(...exits.map((x) => x.l1TxHash), ...claims.map((c) => c.l1TxHash));
      let refunded = 0n;
      if (u.client === carol) {
        const { refunds } = await carol.refundDeposit();
        txs.push(...refunds.map((r) => r.l1TxHash));
        refunded = refunds.reduce((sum, r) => sum + r.amount, 0n);
      }
      let gasPaid = 0n;
      for (const hash of txs) {
        const receipt = await l1Client.getTransactionReceipt({ hash });
        gasPaid += receipt.gasUsed * receipt.effectiveGasPrice;
        if (exits.some((x) => x.l1TxHash === hash)) exodusWithdrawGas ||= receipt.gasUsed;
        else if (!claims.some((c) => c.l1TxHash === hash)) refundGas ||= receipt.gasUsed;
      }
      const received = (await l1Client.getBalance({ address })) - l1Before + gasPaid;
      exitedWei += received;
      const owed = expected.get(u.name)! + refunded;
      const tokens = exits.filter((x) => x.tokenId !== 0).reduce((sum, x) => sum + x.amount, 0n);
      say(
        `${u.name} rebuilds the state from L1 and exits: +${eth(received)} on L1 (balance change + ${eth(gasPaid)} gas)` +
          `${refunded > 0n ? `, of which ${eth(refunded)} is the refunded deposit` : ""}: ${received === owed ? "exactly" : "NOT"} ${u.their} final L2 balance${refunded > 0n ? " plus the deposit" : ""}` +
          `${tokens > 0n ? `; and ${formatEther(tokens)} TEST from ${u.their} test token account` : ""}`,
      );
    }
    const expectedWei = [...expected.values()].reduce((a, b) => a + b, 0n) + refundAmount;
    const lockedAfter = await lockedEth();
    say(`gas: exodusWithdraw ${exodusWithdrawGas} (levels ${info.levels}: ${info.levels} × 7 siblings), refundDeposit ${refundGas}, activateExodus ${activationGas}`);
    say(`the bridge held ${eth(lockedBefore)} for the L2 and paid out ${eth(lockedBefore - lockedAfter)}; it now holds ${eth(lockedAfter)}`);
    say(`exited ${eth(exitedWei)}, expected ${eth(expectedWei)}: ${exitedWei === expectedWei ? "every user got exactly their final balance back" : "MISMATCH"}`);
    if (json) {
      console.log(JSON.stringify({ settlement, da, rebuiltFromL1, exitedWei: exitedWei.toString(), expectedWei: expectedWei.toString(), exodusWithdrawGas: Number(exodusWithdrawGas) }));
    }
    if (!rebuiltFromL1 || exitedWei !== expectedWei) {
      throw new InvariantViolationError(`the escape did not pay exactly: rebuilt from L1 ${rebuiltFromL1}, exited ${exitedWei} wei, expected ${expectedWei} wei`);
    }
  } finally {
    await devnet.stop();
  }
}

const short = (v: Hex | bigint) => `${(typeof v === "bigint" ? `0x${v.toString(16).padStart(64, "0")}` : v).slice(0, 10)}…`;
const iso = (t: bigint) => new Date(Number(t) * 1000).toISOString();

try {
  await demo();
  process.exit(0);
} catch (e) {
  console.error(`error: ${e instanceof BaseError ? (e.details ? `${e.shortMessage} — ${e.details}` : e.shortMessage) : e instanceof Error ? e.message.split("\n")[0] : String(e)}`);
  process.exit(e instanceof InvalidParameterError ? 2 : 1);
}
