import { expect } from "chai";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { encodeAbiParameters } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { domainSeparator, keyDerivationMessage, l2OpMessage, l2PrivateKeyFromSignature, publicKeyOf, resolveParams, verifyWireSignature } from "../../core/index.js";
import { USAGE, runCli } from "../../client/cli.js";
import { readSubmittedOp } from "../../sequencer/rpc/params.js";
import { startRpcServer } from "../../sequencer/rpc/server.js";

const key = `0x${"22".repeat(32)}` as const;
const owner = privateKeyToAccount(key).address;
const info = {
  l1ChainId: 31337,
  l2ChainId: 424242,
  contracts: { rollup: "0x5fbdb2315678afecb367f032d93f642f64180aa3", bridge: "0xe7f1725e7734ce288f8367e1bb143e90bb3f0512" },
  levels: 8,
  mode: "optimistic",
  feeRecipient: "0x000000000000000000000000000000000000fee5",
  feeTokens: [0, 4294967295, 4294967295, 4294967295],
  maxBatchOps: 512,
  maxBatchDelayMs: 1000,
} as const;

async function run(argv: string[]): Promise<{ code: number; out: string[]; err: string[] }> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(argv, { out: (l) => out.push(l), err: (l) => err.push(l) });
  return { code, out, err };
}

describe("client CLI", () => {
  it("help_listsEveryCommand", async () => {
    const { code, out } = await run(["--help"]);
    expect(code).to.equal(0);
    expect(out.join("\n")).to.equal(USAGE);
    for (const command of ["balance", "deposit", "transfer", "withdraw", "claim", "status", "exit", "warp", "exodus", "exodus activate", "exodus withdraw", "exodus refund"]) {
      expect(USAGE).to.contain(`  ${command}`);
    }
  });

  it("mistakes_printOneErrorLineAndExit2", async () => {
    const cases: [string[], string][] = [
      [["frob"], "error: unknown command frob"],
      [["--devnet", "/nonexistent/devnet.json", "balance"], "error: cannot read /nonexistent/devnet.json"],
      [["--key", key, "--l1", "http://127.0.0.1:1", "--l2", "http://127.0.0.1:1", "transfer", "3", "1.0000000000000000001"], "error: 1.0000000000000000001 has more than 18 decimals"],
      [["--key", key, "--l1", "http://127.0.0.1:1", "--l2", "http://127.0.0.1:1", "exit"], "error: missing <accountIdx>"],
      [["--key", "0x12", "--l1", "http://127.0.0.1:1", "--l2", "http://127.0.0.1:1", "status"], "error: --key must be 32 bytes of hex"],
      [["--key", key, "--l1", "http://127.0.0.1:1", "--l2", "http://127.0.0.1:1", "exodus", "leave"], "error: unknown exodus command leave — use one of: rollup exodus status|activate|withdraw|refund"],
      [["--key", key, "--l1", "http://127.0.0.1:1", "--l2", "http://127.0.0.1:1", "exodus", "withdraw", "two"], "error: <accountIdx> must be a whole number, got two"],
      [["--key", key, "--l1", "http://127.0.0.1:1", "--l2", "http://127.0.0.1:1", "exodus", "refund", "1.5"], "error: <queueIndex> must be a whole number, got 1.5"],
      [["--key", key, "--l1", "http://127.0.0.1:1", "--l2", "http://127.0.0.1:1", "--rollup", "0x12", "exodus"], "error: --rollup must be an address, got 0x12"],
    ];
    for (const [argv, line] of cases) {
      const { code, out, err } = await run(argv);
      expect(code, argv.join(" ")).to.equal(2);
      expect(out).to.deep.equal([]);
      expect(err).to.have.length(1);
      expect(err[0]).to.contain(line);
    }
  });

  it("devnetAccount_selectsKeyFromDevnetJson", async () => {
    const dir = mkdtempSync(join(tmpdir(), "rollup-cli-"));
    const path = join(dir, "devnet.json");
    writeFileSync(path, JSON.stringify({ l1: { rpcUrl: "http://127.0.0.1:1" }, l2: { rpcUrl: "http://127.0.0.1:1" }, accounts: [{ address: owner, privateKey: key }] }));
    const { code, err } = await run(["--devnet", path, "--account", "3", "balance"]);
    expect(code).to.equal(2);
    expect(err[0]).to.contain("no dev account 3");
  });

  it("unreachableL2_failureNotRefusal_exit1", async () => {
    const { code, err } = await run(["--key", key, "--l1", "http://127.0.0.1:1", "--l2", "http://127.0.0.1:1", "status"]);
    expect(code).to.equal(1);
    expect(err).to.have.length(1);
    expect(err[0]).to.match(/^error: cannot reach the L2 RPC at http:\/\/127\.0\.0\.1:1 /);
  });

  it("exodus_beforeExodusWithTheL2Down_saysWhatToDoFromL1AloneAndExits2", async () => {
    // An L1 whose rollup is not in exodus and whose queue is empty (every view reads 0), and an
    // L2 RPC that cannot be reached: the exodus commands read L1 only.
    const methods: string[] = [];
    const l1 = await startRpcServer({
      eth_chainId: () => "0x7a69",
      eth_call: () => {
        methods.push("eth_call");
        return `0x${"00".repeat(32)}`;
      },
      eth_getBlockByNumber: () => ({ number: "0x7", timestamp: "0x65000000", hash: `0x${"11".repeat(32)}`, transactions: [] }),
    });
    const dir = mkdtempSync(join(tmpdir(), "rollup-cli-"));
    const path = join(dir, "devnet.json");
    writeFileSync(
      path,
      JSON.stringify({ l1: { rpcUrl: l1.url }, l2: { rpcUrl: "http://127.0.0.1:1" }, contracts: info.contracts, deployBlock: 3, accounts: [{ address: owner, privateKey: key }] }),
    );
    try {
      const status = await run(["--devnet", path, "exodus"]);
      expect(status.err).to.deep.equal([]);
      expect(status.code).to.equal(0);
      expect(status.out[0]).to.equal(`the rollup is not in exodus: 0 batch(es) on L1, 0 final; last final state root 0x${"0".repeat(64)}, after 0 final batch(es) of 0`);
      expect(status.out.at(-1)).to.match(/^no queue entry is waiting \(0 consumed\): the exodus cannot be due; a user makes one with `rollup exit <accountIdx>`$/);

      const cases: [string[], string][] = [
        [["exodus", "activate"], "error: no queue entry is waiting, so the exodus cannot be due — a user who wants out of a silent rollup makes one with forcedExit (`rollup exit <accountIdx>`)"],
        [["exodus", "withdraw"], "error: the rollup is not in exodus, so balances cannot be taken out on L1 yet — "],
        [["exodus", "refund", "4"], "error: the rollup is not in exodus, so deposits are not refunded — "],
      ];
      for (const [argv, line] of cases) {
        const { code, out, err } = await run(["--devnet", path, ...argv]);
        expect(code, argv.join(" ")).to.equal(2);
        expect(err, argv.join(" ")).to.have.length(1);
        expect(err[0]).to.contain(line);
        expect(out.filter((l) => l.startsWith("error"))).to.deep.equal([]);
      }
      expect(methods.length).to.be.greaterThan(10);
    } finally {
      await l1.close();
    }
  });

  it("warp_noSeconds_movesL1TimeByChallengeWindowPlusOne", async () => {
    const calls: [string, unknown[]][] = [];
    const l1 = await startRpcServer({
      eth_call: (params) => {
        calls.push(["eth_call", params]);
        return encodeAbiParameters([{ type: "uint64" }], [3600n]);
      },
      evm_increaseTime: (params) => calls.push(["evm_increaseTime", params]),
      evm_mine: (params) => calls.push(["evm_mine", params]),
      eth_getBlockByNumber: () => ({ number: "0x7", timestamp: "0x65000000", hash: `0x${"11".repeat(32)}`, transactions: [] }),
    });
    const dir = mkdtempSync(join(tmpdir(), "rollup-cli-"));
    const path = join(dir, "devnet.json");
    writeFileSync(path, JSON.stringify({ l1: { rpcUrl: l1.url }, contracts: { rollup: info.contracts.rollup }, accounts: [{ address: owner, privateKey: key }] }));
    try {
      const { code, out, err } = await run(["--devnet", path, "warp"]);
      expect(err).to.deep.equal([]);
      expect(code).to.equal(0);
      expect(calls.map(([method]) => method)).to.deep.equal(["eth_call", "evm_increaseTime", "evm_mine"]);
      expect((calls[0]![1][0] as { to: string }).to).to.equal(info.contracts.rollup);
      expect(calls[1]![1]).to.deep.equal(["0xe11"]);
      expect(out[0]).to.match(/^L1 time moved forward 3601s: now 2023-09-12T/);
      const explicit = await run(["--devnet", path, "warp", "60"]);
      expect(explicit.code).to.equal(0);
      expect(calls.slice(3).map(([method, params]) => [method, params])).to.deep.equal([["evm_increaseTime", ["0x3c"]], ["evm_mine", []]]);
    } finally {
      await l1.close();
    }
  });

  it("transfer_decimalAmounts_sendsSignedOpInBaseUnits", async () => {
    const privateKey = l2PrivateKeyFromSignature(
      await privateKeyToAccount(key).signMessage({
        message: keyDerivationMessage({ l1ChainId: info.l1ChainId, l2ChainId: info.l2ChainId, rollupAddress: info.contracts.rollup }),
      }),
    );
    const { x, y } = publicKeyOf(privateKey);
    const sent: unknown[] = [];
    const server = await startRpcServer({
      rollup_getInfo: () => info,
      rollup_getAccountsByOwner: () => [
        { index: 2, tokenId: 0, balance: "5000000000000000000", nonce: 1, publicKey: { x: `0x${x.toString(16)}`, y: `0x${y.toString(16)}` }, ethAddr: owner.toLowerCase() },
      ],
      rollup_sendOp: ([op]) => {
        sent.push(op);
        return { hash: `0x${"ef".repeat(32)}`, status: "pending" };
      },
    });
    try {
      const ok = await run(["--key", key, "--l1", "http://127.0.0.1:1", "--l2", server.url, "transfer", "3", "1.5", "--fee", "0.001"]);
      expect(ok.err).to.deep.equal([]);
      expect(ok.code).to.equal(0);
      expect(ok.out[0]).to.equal(`sent 1.5 ETH to #3: op 0x${"ef".repeat(32)} (pending)`);
      expect(sent[0]).to.include({ fromIdx: 2, toIdx: 3, amount: "1500000000000000000", fee: "1000000000000000", nonce: 1 });
      const { op, nonce } = readSubmittedOp(sent[0], resolveParams({ levels: 8 }), info.l2ChainId);
      const domain = domainSeparator({ l1ChainId: info.l1ChainId, l2ChainId: info.l2ChainId, rollupAddress: info.contracts.rollup });
      expect(verifyWireSignature(l2OpMessage(op, { tokenId: 0, nonce }, domain), op.signature!, { x, y })).to.equal(true);

      const inexact = await run(["--key", key, "--l1", "http://127.0.0.1:1", "--l2", server.url, "withdraw", "1.234567890123456789"]);
      expect(inexact.code).to.equal(2);
      expect(inexact.err).to.deep.equal([
        "error: amount 1.234567890123456789 cannot be posted exactly on L1 — L2 amounts keep about 10 significant digits; use 1.2345678901 or 1.2345678902",
      ]);
      expect(sent).to.have.length(1);
    } finally {
      await server.close();
    }
  });
});
