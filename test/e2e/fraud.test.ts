import { expect } from "chai";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type Hex, parseEther, parseEventLogs } from "viem";
import { createRollupClient, ContractRevertError, type RollupClient } from "../../client/index.js";
import {
  type Address,
  type DisputeGameCall,
  GameEndReason,
  GameStatus,
  buildStepWitness,
  disputeCall,
  disputeGameAbi,
  rollupAbi,
} from "../../core/index.js";
import { waitFor } from "../../core/wait.js";
import { startDevnet, type Devnet } from "../../devnet/start.js";
import { createDerivationPipeline } from "../../derive/pipeline.js";
import { FAULT_KINDS, type FaultKind } from "../../sequencer/faults/faulty-proposer.js";

const MIN_BOND = parseEther("1");

async function start(name: string, fault?: FaultKind) {
  const lines: string[] = [];
  const devnet = await startDevnet({
    l1Port: 0,
    l2Port: 0,
    dataDir: mkdtempSync(join(tmpdir(), `fraud-${name}-`)),
    batchIntervalMs: 300,
    fault: fault && { kind: fault },
    onChallengerLog: (line) => lines.push(line),
  });
  const client = (n: number) =>
    createRollupClient({ l1RpcUrl: devnet.info.l1.rpcUrl, l2RpcUrl: devnet.info.l2.rpcUrl, account: devnet.info.accounts[n]!.privateKey, pollingInterval: 50 });
  return { devnet, lines, alice: client(0), bob: client(1) };
}

async function gameEvents(devnet: Devnet) {
  const logs = await devnet.l1Client.getLogs({ address: devnet.info.dispute.game, fromBlock: BigInt(devnet.info.deployBlock) });
  return parseEventLogs({ abi: disputeGameAbi, logs });
}

async function rollupEvents(devnet: Devnet) {
  const logs = await devnet.l1Client.getLogs({ address: devnet.info.contracts.rollup, fromBlock: BigInt(devnet.info.deployBlock) });
  return parseEventLogs({ abi: rollupAbi, logs });
}

/** L1 balance change of `address` over the block of `hash` (one transaction per block on the devnet). */
async function balanceDelta(devnet: Devnet, address: Address, hash: Hex): Promise<{ delta: bigint; fee: bigint }> {
  const receipt = await devnet.l1Client.getTransactionReceipt({ hash });
  const before = await devnet.l1Client.getBalance({ address, blockNumber: receipt.blockNumber - 1n });
  const after = await devnet.l1Client.getBalance({ address, blockNumber: receipt.blockNumber });
  return { delta: after - before, fee: receipt.gasUsed * receipt.effectiveGasPrice };
}

/**
 * Fault injection end to end: a devnet whose sequencer posts one wrong batch, the challenger
 * agent (a child process of the devnet) proves it wrong on L1, the sequencer re-proposes, and
 * users lose nothing. Then the other side: an honest batch challenged by a griefer.
 */
describe("e2e: fraud proofs with the challenger agent", function () {
  this.timeout(240_000);

  for (const fault of FAULT_KINDS) {
    describe(`fault ${fault}`, () => {
      let env: Awaited<ReturnType<typeof start>>;
      before(async () => {
        env = await start(fault, fault);
      });
      after(async () => {
        await env?.devnet.stop();
      });

      it(`${fault}_faultyBatch_provenWrongOnL1_bondSlashed_reposted_withdrawalClaimsExactlyOnce`, async () => {
        const { devnet, alice, bob, lines } = env;
        const info = devnet.info;
        const operator = info.operator.address.toLowerCase() as Address;
        const challenger = info.dispute.challenger!.address;
        const bobEth = info.accounts[1]!.l2Accounts!.ETH;
        for (let i = 0; i < 3; i++) await alice.transfer({ toIdx: bobEth, amount: parseEther("0.1") * BigInt(i + 1) });
        const withdrawal = await bob.withdraw({ amount: parseEther("0.2") });
        await alice.deposit({ accountIdx: info.accounts[0]!.l2Accounts!.ETH, tokenId: 0, amount: parseEther("1") });

        // The agent challenges, bisects and proves the faulty step; the rollup invalidates.
        const resolved = await waitFor("the game to resolve", async () => {
          const events = await gameEvents(devnet);
          return events.find((e) => e.eventName === "GameResolved") && events;
        });
        const started = resolved.find((e) => e.eventName === "GameStarted")!;
        const proven = resolved.find((e) => e.eventName === "StepProven")!;
        const result = resolved.find((e) => e.eventName === "GameResolved")!;
        const faultyIndex = Number(started.args.batchIndex);
        expect(started.args.challenger).to.equal(challenger);
        expect(started.args.defender.toLowerCase()).to.equal(operator);
        expect(proven.args.postStepHash).to.not.equal(proven.args.claimed);
        expect(result.args.winner).to.equal(challenger);
        expect(result.args.reason).to.equal(GameEndReason.StepDisproved);
        const game = await devnet.l1Client.readContract({ address: info.dispute.game, abi: disputeGameAbi, functionName: "game", args: [0n] });
        expect(game.status).to.equal(GameStatus.ChallengerWon);
        // The agent buys the whole challenger clock with its bond (docs/disputes.md).
        const [clockPrice, clockBudget] = await Promise.all([
          devnet.l1Client.readContract({ address: info.dispute.game, abi: disputeGameAbi, functionName: "clockPrice" }),
          devnet.l1Client.readContract({ address: info.dispute.game, abi: disputeGameAbi, functionName: "clockBudget" }),
        ]);
        const bond = clockPrice * clockBudget;
        expect(game.bond).to.equal(bond);
        // Half the proposer's bond to the only game on the batch, half burned.
        expect(result.args.payout).to.equal(bond + MIN_BOND / 2n);
        const burned = resolved.find((e) => e.eventName === "SlashBurned")!;
        expect(burned.eventName === "SlashBurned" && burned.args.amount).to.equal(MIN_BOND / 2n);

        const rollupLogs = await rollupEvents(devnet);
        const slashed = rollupLogs.find((e) => e.eventName === "BondSlashed")!;
        expect([slashed.args.proposer.toLowerCase(), slashed.args.to.toLowerCase(), slashed.args.amount, slashed.args.bond]).to.deep.equal([
          operator,
          info.dispute.game,
          MIN_BOND,
          0n,
        ]);
        const invalidated = rollupLogs.find((e) => e.eventName === "BatchesInvalidated")!;
        expect(Number(invalidated.args.fromIndex)).to.equal(faultyIndex);

        // The agent takes its credit: the challenge bond back plus half the proposer's bond.
        const claimed = await waitFor("the agent to claim its credit", async () =>
          (await gameEvents(devnet)).find(
            (e): e is Extract<typeof e, { eventName: "CreditClaimed" }> => e.eventName === "CreditClaimed" && e.args.account === challenger,
          ),
        );
        expect(claimed.args.amount).to.equal(bond + MIN_BOND / 2n);
        const { delta, fee } = await balanceDelta(devnet, challenger, claimed.transactionHash);
        expect(delta).to.equal(bond + MIN_BOND / 2n - fee);

        // The sequencer tops its bond up and re-proposes its honest batches.
        const status = await waitFor("the honest batches to be re-posted", async () => {
          const s = await alice.getRollupStatus();
          const count = await devnet.l1Client.readContract({ address: info.contracts.rollup, abi: rollupAbi, functionName: "batchCount" });
          return s.unconsumedQueueEntries === 0 && s.openBatch === null && s.postedBatches === s.batches && Number(count) === s.batches && s;
        });
        for (let i = faultyIndex; i < status.batches; i++) {
          const [, postStateRoot, withdrawalsRoot] = await devnet.l1Client.readContract({ address: info.contracts.rollup, abi: rollupAbi, functionName: "batches", args: [BigInt(i)] });
          const honest = await alice.getBatch({ index: i });
          expect([postStateRoot, withdrawalsRoot]).to.deep.equal([honest.postStateRoot, honest.withdrawalsRoot]);
        }
        expect(await devnet.l1Client.readContract({ address: info.contracts.rollup, abi: rollupAbi, functionName: "bonds", args: [operator] })).to.equal(MIN_BOND);
        const pipeline = await createDerivationPipeline({ l1RpcUrl: info.l1.rpcUrl, contracts: info.contracts, fromBlock: BigInt(info.deployBlock) });
        const derived = await pipeline.sync();
        expect(derived.some((e) => e.kind === "rolledBack")).to.equal(true);
        expect(pipeline.deriver.state.stateRoot).to.equal(status.stateRoot);
        expect(lines.some((l) => l.includes("one-step proof of step"))).to.equal(true);

        // Bob's withdrawal from the re-posted batch pays exactly once after the window.
        const op = await bob.waitForOp({ hash: withdrawal.hash, status: "batched", timeout: 20_000 });
        const w = (await bob.getWithdrawals()).find((x) => x.batch === op.batch && x.amount === parseEther("0.2"))!;
        expect(w.recipient.toLowerCase()).to.equal(info.accounts[1]!.address.toLowerCase());
        await devnet.warp(info.challengeWindow + 1);
        const paid = await alice.claimWithdrawal(w);
        expect((await balanceDelta(devnet, info.accounts[1]!.address, paid.l1TxHash)).delta).to.equal(parseEther("0.2"));
        const again = await alice.claimWithdrawal(w).then(
          () => undefined,
          (e: unknown) => e,
        );
        expect((again as ContractRevertError).errorName).to.equal("WithdrawalAlreadyClaimed");
      });
    });
  }

  describe("honest batch, griefing challenger", () => {
    let env: Awaited<ReturnType<typeof start>>;
    before(async () => {
      env = await start("griefer");
    });
    after(async () => {
      await env?.devnet.stop();
    });

    /** Challenges the latest batch from dev account 7, which then plays against the agent's defence. */
    async function grief(stall: boolean) {
      const { devnet, alice } = env;
      const info = devnet.info;
      const griefer = createRollupClient({ l1RpcUrl: info.l1.rpcUrl, l2RpcUrl: info.l2.rpcUrl, account: info.accounts[7]!.privateKey, pollingInterval: 50 });
      const { hash } = await alice.transfer({ toIdx: info.accounts[1]!.l2Accounts!.ETH, amount: parseEther("0.5") });
      const op = await alice.waitForOp({ hash, status: "batched", timeout: 20_000 });
      const pipeline = await createDerivationPipeline({ l1RpcUrl: info.l1.rpcUrl, contracts: info.contracts, fromBlock: BigInt(info.deployBlock) });
      await pipeline.sync();
      const batch = pipeline.deriver.batch(op.batch!)!;
      expect(batch.report.agrees).to.equal(true);
      const write = async (call: DisputeGameCall, value?: bigint) => {
        const { request } = await devnet.l1Client.simulateContract({ address: info.dispute.game, abi: disputeGameAbi, ...call, value, account: griefer.walletClient.account });
        const receipt = await devnet.l1Client.waitForTransactionReceipt({ hash: await griefer.walletClient.writeContract(request) });
        expect(receipt.status).to.equal("success");
      };
      const gameId = await devnet.l1Client.readContract({ address: info.dispute.game, abi: disputeGameAbi, functionName: "gameCount" });
      // The least bond: it buys a sixth of the clock budget (docs/disputes.md).
      await write({ functionName: "challenge", args: [BigInt(op.batch!), batch.decoded.header] }, BigInt(info.dispute.challengeBond));
      const read = () => devnet.l1Client.readContract({ address: info.dispute.game, abi: disputeGameAbi, functionName: "game", args: [gameId] });
      for (;;) {
        const g = await waitFor("the defender's move", async () => {
          const g = await read();
          return (g.status === GameStatus.AwaitingAnswer || g.status === GameStatus.AwaitingStep || g.status > GameStatus.AwaitingStep) && g;
        });
        if (g.status > GameStatus.AwaitingStep) return { gameId, batchIndex: op.batch! };
        if (stall) {
          await devnet.warp(info.dispute.clockBudget + 1);
          await waitFor("the agent's timeout", async () => (await read()).status > GameStatus.AwaitingStep);
          return { gameId, batchIndex: op.batch! };
        }
        if (g.status === GameStatus.AwaitingAnswer) await write({ functionName: "answer", args: [gameId, false] });
        else {
          const step = buildStepWitness(batch.preState!, batch.decoded.batch, pipeline.domain, g.lo);
          await write(disputeCall(gameId, { kind: "proveStep", step: g.lo, proof: step }, { header: batch.decoded.header, data: batch.decoded.payload }));
        }
      }
    }

    async function expectDefenderWon(gameId: bigint, batchIndex: number, reason: number) {
      const { devnet } = env;
      const info = devnet.info;
      const operator = info.operator.address;
      const events = await waitFor("the defender's credit claim", async () => {
        const events = await gameEvents(devnet);
        return events.some((e) => e.eventName === "CreditClaimed" && e.args.account === operator && e.blockNumber > 0n) &&
          events.some((e) => e.eventName === "GameResolved" && e.args.gameId === gameId) &&
          events;
      });
      const result = events.find((e) => e.eventName === "GameResolved" && e.args.gameId === gameId)!;
      expect(result.eventName === "GameResolved" && [result.args.winner, result.args.reason, result.args.payout]).to.deep.equal([
        operator,
        reason,
        BigInt(info.dispute.challengeBond),
      ]);
      const claim = events.filter((e) => e.eventName === "CreditClaimed" && e.args.account === operator).at(-1)!;
      expect(claim.eventName === "CreditClaimed" && claim.args.amount).to.equal(BigInt(info.dispute.challengeBond));
      // The batch stands.
      expect(await devnet.l1Client.readContract({ address: info.contracts.rollup, abi: rollupAbi, functionName: "batchCount" })).to.be.greaterThan(BigInt(batchIndex));
      expect((await rollupEvents(devnet)).some((e) => e.eventName === "BatchesInvalidated")).to.equal(false);
    }

    it("griefer_challengesHonestBatch_agentDefendsAndOneStepProofConfirms_bondToProposer", async () => {
      const { gameId, batchIndex } = await grief(false);
      await expectDefenderWon(gameId, batchIndex, GameEndReason.StepConfirmed);
      expect(env.lines.some((l) => l.includes(`game ${gameId}: defender opened`))).to.equal(true);
    });

    it("griefer_stallsAfterChallenge_agentTimesOut_bondToProposer", async () => {
      const { gameId, batchIndex } = await grief(true);
      await waitFor("the CreditClaimed of this game", async () =>
        (await gameEvents(env.devnet)).filter((e) => e.eventName === "CreditClaimed" && e.args.account === env.devnet.info.operator.address).length >= 2,
      );
      await expectDefenderWon(gameId, batchIndex, GameEndReason.Timeout);
      expect(env.lines.some((l) => l.includes(`game ${gameId}: the challenger's clock ran out`))).to.equal(true);
    });
  });
});
