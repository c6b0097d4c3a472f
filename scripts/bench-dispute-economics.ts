/**
 * What disputes cost and pay, in exact wei, with the devnet's parameters (challengeBond 0.1 ETH,
 * clockBudget 1 hour, clockPrice = 6 least bonds per budget, minBond 1 ETH), played on an
 * in-process Hardhat L1 (docs/disputes.md "Economics"):
 *
 *   npx hardhat run scripts/bench-dispute-economics.ts
 *
 * 1. clock: a griefer challenges an honest batch one second before its window ends and stalls;
 *    how long finality waits, and where its bond goes (the least bond, then the whole clock).
 * 2. split: a wrong batch challenged first by k sybils of its proposer (least bond each) and
 *    then by the honest watcher (the whole clock, as the devnet's agent); a sybil wins (the
 *    watcher when k = 0).
 * 3. chain: one bond behind three batches, the first wrong: one slash removes them all; a game
 *    on a removed later batch is dismissed with its bond.
 * 4. drain: the proposer lets its sybil win, by not defending, a game on a later batch while
 *    the honest watcher's game on an earlier wrong batch waits for the proposer's moves; the
 *    watcher then disproves a batch whose proposer has no bond left.
 *
 * Prints a table per scenario; the last line is one JSON object with every figure in wei and
 * seconds.
 */
import { network } from "hardhat";
import { keccak_256 } from "@noble/hashes/sha3.js";
import type { Signer } from "ethers";
import {
  type Address,
  type Batch,
  type L2Op,
  type QueueEntry,
  GameStatus,
  InvariantViolationError,
  L2State,
  NO_TOKEN,
  QueueKind,
  encodeFloat40,
  encodeFloat8,
  l2OpMessage,
  publicKeyOf,
  resolveParams,
  signMessage,
} from "../core/index.js";
import { deployRollup } from "./lib/deploy-rollup.js";
import { devnetParameters } from "./lib/devnet-parameters.js";
import { challengeBatch, playDispute, provingTrace, sendMove, solverMove, submitProposedBatch } from "./lib/hardhat-dispute.js";
import { type ProposedBatch, proposedBatch } from "./lib/largest-batch.js";

const parameters = devnetParameters();
const params = resolveParams({ levels: parameters.levels });
const { ethers, networkHelpers } = await network.create();
const { time } = networkHelpers;
const signers: Signer[] = await ethers.getSigners();
const signer = (index: number): Signer => {
  const found = signers[index];
  if (!found) throw new InvariantViolationError(`the Hardhat network has no signer ${index}`, { details: "the default network has 20 accounts" });
  return found;
};
const [proposer, aliceSigner, bobSigner, watcher, watcher2, keeper, griefer] = [1, 2, 3, 4, 5, 6, 7].map(signer) as [Signer, Signer, Signer, Signer, Signer, Signer, Signer];
const sybils = [10, 11, 12].map(signer);
const { rollup, bridge, game } = await deployRollup(ethers, parameters);
await (await rollup.grantRole(await rollup.PROPOSER_ROLE(), await proposer.getAddress())).wait();
await (await rollup.connect(proposer).depositBond({ value: parameters.minBond })).wait();
const domain: bigint = await rollup.domain();
const fullClockBond = parameters.clockPrice * parameters.clockBudget;
const increaseTime = (seconds: bigint) => time.increase(seconds);

// Alice and bob create their L2 accounts; batch 0 consumes the two entries.
const key = (seed: string) => {
  const privateKey = keccak_256(new TextEncoder().encode(seed));
  return { privateKey, ...publicKeyOf(privateKey) };
};
const [alice, bob] = [key("economics alice"), key("economics bob")];
const queueEntries: QueueEntry[] = [];
for (const [owner, k, amount] of [[aliceSigner, alice, 10n ** 19n], [bobSigner, bob, 5n * 10n ** 18n]] as const) {
  await (await bridge.connect(owner).createAccount(0, amount, k.x, k.y, { value: amount + parameters.queueFee })).wait();
  queueEntries.push({ kind: QueueKind.CreateAccount, l1Address: (await owner.getAddress()).toLowerCase() as Address, tokenId: 0, accountIdx: 0, amount, Ax: k.x, Ay: k.y });
}
const ready = await networkHelpers.takeSnapshot();

// Three batches of one transfer each; the proposer may claim each honestly or wrong at its transfer.
const transfer = (from: typeof alice, fromIdx: number, toIdx: number, nonce: number): L2Op => {
  const unsigned = { fromIdx, toIdx, amountFloat40: encodeFloat40(10n ** 17n), feeFloat8: encodeFloat8(10n ** 15n) };
  return { ...unsigned, signature: signMessage(from.privateKey, l2OpMessage(unsigned, { tokenId: 0, nonce }, domain)) };
};
const header = { feeRecipient: "0x000000000000000000000000000000000000fee5" as Address, feeTokens: [0, NO_TOKEN, NO_TOKEN, NO_TOKEN] };
const batches: Batch[] = [
  { ...header, queueEntries, ops: [transfer(alice, 2, 3, 0)] },
  { ...header, queueEntries: [], ops: [transfer(alice, 2, 3, 1)] },
  { ...header, queueEntries: [], ops: [transfer(bob, 3, 2, 0)] },
];
const honest: ProposedBatch[] = [];
const wrong: ProposedBatch[] = [];
let state = L2State.genesis(params);
for (const batch of batches) {
  const queueStart = BigInt(batch === batches[0] ? 0 : queueEntries.length);
  const transferStep = batch.queueEntries.length;
  honest.push(proposedBatch({ state, domain, batch, queueStart }));
  wrong.push(proposedBatch({ state, domain, batch, queueStart, wrongStep: transferStep }));
  state = honest.at(-1)!.after;
}

const address = (s: Signer) => s.getAddress();
const credit = async (s: Signer): Promise<bigint> => game.credits(await address(s));
const burnedSince = async (before: bigint) => (await ethers.provider.getBalance(ethers.ZeroAddress)) - before;
const submit = (batch: ProposedBatch) => submitProposedBatch({ rollup, bridge }, proposer, batch).then((r) => r.header);
const expectStatus = async (gameId: bigint, status: number, what: string) => {
  const got = Number((await game.game(gameId)).status);
  if (got !== status) throw new InvariantViolationError(`${what}: game ${gameId} has status ${got}, not ${status}`, { details: "the scenario did not play as scripted" });
};
const eth = (wei: bigint) => `${ethers.formatEther(wei)} ETH`;

// ─── 1. The challenger's clock: what delaying finality costs ────────────────────────────────
const clock = [];
for (const bond of [parameters.challengeBond, fullClockBond]) {
  await ready.restore();
  const batch0 = await submit(honest[0]!);
  const windowEnd: bigint = await rollup.finalizableAt(0);
  await time.setNextBlockTimestamp(windowEnd - 1n);
  const gameId = await challengeBatch(game, griefer, batch0, bond);
  const [, bought] = await game.clocks(gameId);
  // The proposer opens one 12-second slot later; the griefer then stalls.
  const defenderSeconds = 12n;
  await time.setNextBlockTimestamp(windowEnd - 1n + defenderSeconds);
  await sendMove(game, gameId, { header: batch0 }, proposer, (await solverMove(game, gameId, "defender", honest[0]!.claimed))!);
  const openedAt = (await game.game(gameId)).lastMoveAt;
  await time.increaseTo(openedAt + bought);
  const finalBefore: boolean = await rollup.isFinal(0);
  await time.setNextBlockTimestamp(openedAt + bought + 1n);
  await sendMove(game, gameId, { header: batch0 }, keeper, { kind: "timeout", against: "challenger" });
  await expectStatus(gameId, GameStatus.DefenderWon, "griefer");
  const finalAt = BigInt(await time.latest());
  if (finalBefore || !(await rollup.isFinal(0))) throw new InvariantViolationError("batch 0 was final before the griefer's timeout, or not after it", { details: "isFinal is false while a game is open" });
  clock.push({ bond, boughtSeconds: bought, delaySeconds: finalAt - windowEnd, defenderSeconds, proposerCredit: await credit(proposer), grieferCredit: await credit(griefer) });
}

// ─── 2. The reward split: k sybils of the proposer front-run the honest watcher ──────────────
const split = [];
for (const k of [0, 1, 3]) {
  await ready.restore();
  const batch0 = await submit(wrong[0]!);
  const sybilGames: bigint[] = [];
  for (const sybil of sybils.slice(0, k)) sybilGames.push(await challengeBatch(game, sybil, batch0, parameters.challengeBond));
  const watcherGame = await challengeBatch(game, watcher, batch0, fullClockBond);
  const burnBefore = await ethers.provider.getBalance(ethers.ZeroAddress);
  const winner = k > 0 ? sybils[0]! : watcher;
  const winnerGame = k > 0 ? sybilGames[0]! : watcherGame;
  await playDispute({ game, gameId: winnerGame, batch: { header: batch0, data: wrong[0]!.payload }, defender: { signer: proposer, trace: wrong[0]!.claimed }, challenger: { signer: winner, trace: provingTrace(wrong[0]!, domain) }, keeper, increaseTime });
  await expectStatus(winnerGame, GameStatus.ChallengerWon, "split");
  for (const gameId of [...sybilGames.slice(1), ...(k > 0 ? [watcherGame] : [])]) await (await game.connect(keeper).dismiss(gameId)).wait();
  const share: bigint = await game.disprovenShare(ethers.keccak256(ethers.AbiCoder.defaultAbiCoder().encode(["uint256", "uint256"], [0n, 0n])));
  const sybilCredits = await Promise.all(sybils.slice(0, k).map(credit));
  const watcherCredit = await credit(watcher);
  const burned = await burnedSince(burnBefore);
  split.push({
    sybils: k,
    games: k + 1,
    burned,
    share,
    watcherCredit,
    watcherReward: watcherCredit - fullClockBond,
    sybilCredits,
    // What the proposer and its sybils lose together: the bond, less what the sybils get back above their bonds.
    proposerSideLoss: parameters.minBond - sybilCredits.reduce((sum, c) => sum + c - parameters.challengeBond, 0n),
    proposerBond: (await rollup.bonds(await address(proposer))) as bigint,
  });
}

// ─── 3. One bond behind a chain of batches ──────────────────────────────────────────────────
await ready.restore();
const chainHeaders = [await submit(wrong[0]!), await submit(honest[1]!), await submit(honest[2]!)];
const chainWatcherGame = await challengeBatch(game, watcher, chainHeaders[0]!, fullClockBond);
const laterGame = await challengeBatch(game, watcher2, chainHeaders[2]!, parameters.challengeBond);
const chainBurnBefore = await ethers.provider.getBalance(ethers.ZeroAddress);
const chainRecord = await playDispute({ game, gameId: chainWatcherGame, batch: { header: chainHeaders[0]!, data: wrong[0]!.payload }, defender: { signer: proposer, trace: wrong[0]!.claimed }, challenger: { signer: watcher, trace: provingTrace(wrong[0]!, domain) }, keeper, increaseTime });
const invalidated = chainRecord.resolution.logs.map((l) => rollup.interface.parseLog(l)).find((l) => l?.name === "BatchesInvalidated");
await (await game.connect(keeper).dismiss(laterGame)).wait();
const chain = {
  batches: chainHeaders.length,
  removed: invalidated ? (invalidated.args[1] as bigint) : 0n,
  slashed: parameters.minBond - ((await rollup.bonds(await address(proposer))) as bigint),
  burned: await burnedSince(chainBurnBefore),
  watcherCredit: await credit(watcher),
  laterGameRefund: await credit(watcher2),
};

// ─── 4. The residual case: the proposer drains its own bond through a sybil ─────────────────
await ready.restore();
const drainHeaders = [await submit(wrong[0]!), await submit(wrong[1]!)];
// The sybil challenges batch 1, which its proposer will not defend; the watcher challenges
// batch 0 later, and the proposer takes its time there until the sybil has won.
const sybilGame = await challengeBatch(game, sybils[0]!, drainHeaders[1]!, parameters.challengeBond);
await time.increase(parameters.clockBudget - 600n);
const honestGame = await challengeBatch(game, watcher, drainHeaders[0]!, fullClockBond);
const drainBurnBefore = await ethers.provider.getBalance(ethers.ZeroAddress);
await playDispute({ game, gameId: sybilGame, batch: { header: drainHeaders[1]! }, defender: undefined, challenger: undefined, keeper, increaseTime });
await expectStatus(sybilGame, GameStatus.ChallengerWon, "drain: sybil");
const bondAfterSybil: bigint = await rollup.bonds(await address(proposer));
await playDispute({ game, gameId: honestGame, batch: { header: drainHeaders[0]!, data: wrong[0]!.payload }, defender: { signer: proposer, trace: wrong[0]!.claimed }, challenger: { signer: watcher, trace: provingTrace(wrong[0]!, domain) }, keeper, increaseTime });
await expectStatus(honestGame, GameStatus.ChallengerWon, "drain: watcher");
const drain = {
  sybilCredit: await credit(sybils[0]!),
  bondAfterSybilWin: bondAfterSybil,
  watcherCredit: await credit(watcher),
  watcherBond: fullClockBond,
  burned: await burnedSince(drainBurnBefore),
  proposerSideLoss: parameters.minBond - ((await credit(sybils[0]!)) - parameters.challengeBond),
};

// ─── Report ─────────────────────────────────────────────────────────────────────────────────
console.log(`\nDevnet parameters: challengeBond ${eth(parameters.challengeBond)}, clockBudget ${parameters.clockBudget} s, clockPrice ${parameters.clockPrice} wei/s, minBond ${eth(parameters.minBond)}`);
console.log(`A challenger clock of one hour costs ${fullClockBond} wei (${eth(fullClockBond)}).\n`);
console.log("1. A griefer challenges an honest batch 1 s before its window ends and stalls");
console.log("| bond (wei) | clock bought | finality delayed by | proposer's credit (wei) | griefer's credit |");
console.log("| ---: | ---: | ---: | ---: | ---: |");
for (const c of clock) console.log(`| ${c.bond} | ${c.boughtSeconds} s | ${c.delaySeconds} s (${c.boughtSeconds} + ${c.defenderSeconds} s of the proposer's) | ${c.proposerCredit} | ${c.grieferCredit} |`);
console.log("\n2. A wrong batch: k sybils of the proposer challenge first (least bond), then the watcher (whole clock); a sybil wins (the watcher if k = 0)");
console.log("| sybils | burned (wei) | share per game (wei) | watcher's reward above its bond (wei) | proposer + sybils lose (wei) |");
console.log("| ---: | ---: | ---: | ---: | ---: |");
for (const s of split) console.log(`| ${s.sybils} | ${s.burned} | ${s.share} | ${s.watcherReward} | ${s.proposerSideLoss} |`);
console.log(`\n3. One bond of ${eth(parameters.minBond)} behind ${chain.batches} batches, the first wrong: ${chain.removed} removed, ${chain.slashed} wei slashed once (${chain.burned} burned); the watcher gets ${chain.watcherCredit} wei; a game on removed batch 2 is dismissed with ${chain.laterGameRefund} wei (its bond)`);
console.log(`\n4. The proposer's sybil wins a game on later batch 1 (undefended): its credit ${drain.sybilCredit} wei, the proposer's bond ${drain.bondAfterSybilWin} wei after it; the watcher then disproves batch 0 and gets ${drain.watcherCredit} wei (its bond ${drain.watcherBond}); burned ${drain.burned} wei; the proposer and its sybil lose ${drain.proposerSideLoss} wei`);
const json = (value: unknown) => JSON.stringify(value, (_, v) => (typeof v === "bigint" ? v.toString() : v));
console.log(json({ parameters, fullClockBond, clock, split, chain, drain }));
