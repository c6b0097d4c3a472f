import { expect } from "chai";
import { createWalletClient, http } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import {
  type Address,
  type RpcSchema,
  RpcErrorCode,
  domainSeparator,
  keyDerivationMessage,
  l2OpMessage,
  l2PrivateKeyFromSignature,
  publicKeyOf,
  resolveParams,
  verifyWireSignature,
} from "../../core/index.js";
import {
  type RollupInfo,
  AccountNotFoundError,
  AmountNotRepresentableError,
  L2RpcError,
  L2TransportError,
  NotAccountKeyError,
  WaitTimeoutError,
  createL2Client,
  deriveL2Key,
  getAccount,
  getAccountsByOwner,
  getWithdrawals,
  transfer,
  waitForAccount,
  waitForOp,
  withdraw,
} from "../../client/index.js";
import { RpcError } from "../../sequencer/rpc/errors.js";
import { readSubmittedOp } from "../../sequencer/rpc/params.js";
import { type RpcMethod, startRpcServer } from "../../sequencer/rpc/server.js";

const owner: Address = "0xf39fd6e51aad88f6f4ce6ab8827279cfffb92266";
const info: RollupInfo = {
  l1ChainId: 31337,
  l2ChainId: 424242,
  contracts: { rollup: "0x5fbdb2315678afecb367f032d93f642f64180aa3", bridge: "0xe7f1725e7734ce288f8367e1bb143e90bb3f0512" },
  levels: 8,
  mode: "optimistic",
  feeRecipient: "0x000000000000000000000000000000000000fee5",
  feeTokens: [0, 4294967295, 4294967295, 4294967295],
  maxBatchOps: 512,
  maxBatchDelayMs: 1000,
};
const privateKey = new Uint8Array(32).fill(9);
const { x, y } = publicKeyOf(privateKey);
const hex = (v: bigint) => `0x${v.toString(16)}`;
const accountJson = (index: number, balance: string, key = { x, y }) => ({
  index,
  tokenId: 0,
  balance,
  nonce: 4,
  publicKey: { x: hex(key.x), y: hex(key.y) },
  ethAddr: owner,
});

/** A fake sequencer over the real RPC server: one account, records what it is sent. */
async function fakeL2(extra: Record<string, RpcMethod> = {}) {
  const sent: unknown[] = [];
  const server = await startRpcServer({
    rollup_getInfo: () => info,
    rollup_getAccount: ([index]) => (index === 2 ? accountJson(2, "5000000000000000000") : null),
    rollup_getAccountsByOwner: () => [accountJson(5, "7"), accountJson(2, "5000000000000000000")],
    rollup_sendOp: ([op]) => {
      sent.push(op);
      const { op: parsed, nonce } = readSubmittedOp(op, resolveParams({ levels: 8 }), info.l2ChainId);
      const domain = domainSeparator({ l1ChainId: info.l1ChainId, l2ChainId: info.l2ChainId, rollupAddress: info.contracts.rollup });
      if (!verifyWireSignature(l2OpMessage(parsed, { tokenId: 0, nonce }, domain), parsed.signature!, { x, y })) {
        throw new RpcError(RpcErrorCode.OpRejected, "invalid signature", { data: { reason: "BadSignature", details: null } });
      }
      return { hash: `0x${"ab".repeat(32)}`, status: "pending" };
    },
    ...extra,
  });
  return { server, sent, l2: createL2Client(server.url) };
}

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (e) {
    return e;
  }
  throw new Error("expected a rejection");
}

describe("client L2 RPC", () => {
  it("request_rpcErrorWithData_mapsToL2RpcError", async () => {
    const server = await startRpcServer({
      test_reject: () => {
        throw new RpcError(RpcErrorCode.OpRejected, "nonce too low: account 2 is at nonce 4, op has 3", {
          data: { reason: "NonceTooLow", details: "resend with nonce 4" },
        });
      },
      test_notFound: () => {
        throw new RpcError(RpcErrorCode.NotFound, "no op with hash 0x01");
      },
      test_crash: () => {
        throw new Error("boom");
      },
    });
    try {
      const l2 = createL2Client<RpcSchema>(server.url);
      const e = (await rejection(l2.request({ method: "test_reject" }))) as L2RpcError;
      expect(e).to.be.instanceOf(L2RpcError);
      expect(e.code).to.equal(-32000);
      expect(e.shortMessage).to.equal("nonce too low: account 2 is at nonce 4, op has 3");
      expect(e.data).to.deep.equal({ reason: "NonceTooLow", details: "resend with nonce 4" });
      expect(e.details).to.equal("resend with nonce 4");

      const notFound = (await rejection(l2.request({ method: "test_notFound", params: ["0x01"] }))) as L2RpcError;
      expect([notFound.code, notFound.shortMessage, notFound.data]).to.deep.equal([-32001, "no op with hash 0x01", undefined]);
      const missing = (await rejection(l2.request({ method: "no_such_method" }))) as L2RpcError;
      expect([missing.code, missing.shortMessage]).to.deep.equal([-32601, "method not found: no_such_method"]);
      const crash = (await rejection(l2.request({ method: "test_crash" }))) as L2RpcError;
      expect([crash.code, crash.shortMessage]).to.deep.equal([-32603, "internal error: boom"]);
    } finally {
      await server.close();
    }
  });

  it("request_serverDown_throwsL2TransportError", async () => {
    const server = await startRpcServer({});
    const url = server.url;
    await server.close();
    const e = (await rejection(createL2Client(url).request({ method: "rollup_getInfo" }))) as L2TransportError;
    expect(e).to.be.instanceOf(L2TransportError);
    expect(e.url).to.equal(url);
    expect(e.shortMessage).to.contain("cannot reach the L2 RPC");
  });

  it("getAccount_json_returnsBigIntsAndNullForEmpty", async () => {
    const { server, l2 } = await fakeL2();
    try {
      const account = await getAccount({ l2 }, { index: 2 });
      expect(account).to.deep.equal({ index: 2, tokenId: 0, balance: 5n * 10n ** 18n, nonce: 4, publicKey: { x, y }, ethAddr: owner });
      expect(await getAccount({ l2 }, { index: 3 })).to.equal(null);
      expect((await getAccountsByOwner({ l2 }, { owner })).map((a) => a.index)).to.deep.equal([2, 5]);
    } finally {
      await server.close();
    }
  });

  it("transfer_ownAccount_sendsOpTheSequencerVerifies", async () => {
    const { server, l2, sent } = await fakeL2();
    try {
      const result = await transfer({ l2, info }, { privateKey, fromIdx: 2, toIdx: 3, amount: 10n ** 18n, fee: 10n ** 15n });
      expect(result).to.deep.equal({ hash: `0x${"ab".repeat(32)}`, status: "pending" });
      expect(sent[0]).to.include({ fromIdx: 2, toIdx: 3, amount: "1000000000000000000", fee: "1000000000000000", nonce: 4, chainId: 424242 });
      await withdraw({ l2, info }, { privateKey, owner, amount: 10n ** 17n });
      expect(sent[1]).to.include({ fromIdx: 2, toIdx: 1, nonce: 4 });
    } finally {
      await server.close();
    }
  });

  it("transfer_wrongDomain_isRejectedBySequencer", async () => {
    const { server, l2 } = await fakeL2();
    try {
      const otherRollup = { ...info, contracts: { ...info.contracts, rollup: "0x0000000000000000000000000000000000000001" as Address } };
      const e = (await rejection(transfer({ l2, info: otherRollup }, { privateKey, fromIdx: 2, toIdx: 3, amount: 1n }))) as L2RpcError;
      expect(e).to.be.instanceOf(L2RpcError);
      expect(e.shortMessage).to.equal("invalid signature");
      expect(e.data).to.deep.equal({ reason: "BadSignature", details: null });
    } finally {
      await server.close();
    }
  });

  it("transfer_badAmountOrAccount_throwsBeforeSending", async () => {
    const { server, l2, sent } = await fakeL2();
    try {
      const inexact = await rejection(transfer({ l2, info }, { privateKey, fromIdx: 2, toIdx: 3, amount: 1234567890123456789n }));
      expect(inexact).to.be.instanceOf(AmountNotRepresentableError);
      expect(await rejection(transfer({ l2, info }, { privateKey, fromIdx: 3, toIdx: 2, amount: 1n }))).to.be.instanceOf(AccountNotFoundError);
      const otherKey = new Uint8Array(32).fill(1);
      expect(await rejection(transfer({ l2, info }, { privateKey: otherKey, fromIdx: 2, toIdx: 3, amount: 1n }))).to.be.instanceOf(
        NotAccountKeyError,
      );
      const noToken = (await rejection(transfer({ l2, info }, { privateKey, owner, tokenId: 1, toIdx: 3, amount: 1n }))) as AccountNotFoundError;
      expect(noToken).to.be.instanceOf(AccountNotFoundError);
      expect(noToken.shortMessage).to.contain("no L2 account for token 1");
      expect(sent).to.have.length(0);
    } finally {
      await server.close();
    }
  });

  it("waitForOp_statusReached_returnsElseTimesOut", async () => {
    let polls = 0;
    const opJson = (status: string) => ({
      hash: `0x${"cd".repeat(32)}`,
      status,
      batch: status === "pending" ? null : 0,
      l1TxHash: null,
      fromIdx: 2,
      toIdx: 1,
      kind: "withdraw",
      amount: "100",
      fee: "0",
      nonce: 0,
      acceptedAt: 1,
    });
    const { server, l2 } = await fakeL2({ rollup_getOp: () => opJson(++polls < 3 ? "sealed" : "batched") });
    try {
      const op = await waitForOp({ l2 }, { hash: `0x${"cd".repeat(32)}`, pollingInterval: 10 });
      expect([op.status, op.amount, polls]).to.deep.equal(["batched", 100n, 3]);
      const late = (await rejection(
        waitForOp({ l2 }, { hash: `0x${"cd".repeat(32)}`, status: "final", timeout: 50, pollingInterval: 10 }),
      )) as WaitTimeoutError;
      expect(late).to.be.instanceOf(WaitTimeoutError);
      expect(late.shortMessage).to.contain("to be final");
    } finally {
      await server.close();
    }
  });

  it("waitForAccount_minBalance_waitsForTheDeposit", async () => {
    let balance = 0n;
    const { server, l2 } = await fakeL2({ rollup_getAccountsByOwner: () => [accountJson(2, String((balance += 10n)))] });
    try {
      const account = await waitForAccount({ l2 }, { owner, tokenId: 0, publicKey: { x, y }, minBalance: 30n, pollingInterval: 5 });
      expect(account.balance).to.equal(30n);
      const e = await rejection(waitForAccount({ l2 }, { owner, tokenId: 1, timeout: 30, pollingInterval: 5 }));
      expect(e).to.be.instanceOf(WaitTimeoutError);
    } finally {
      await server.close();
    }
  });

  it("getWithdrawals_json_returnsAmountsAndProofs", async () => {
    const proof = Array.from({ length: 5 }, () => Array.from({ length: 7 }, () => "0x1"));
    const { server, l2 } = await fakeL2({
      rollup_getWithdrawals: () => [
        { batch: 0, position: 3, recipient: owner, tokenId: 0, amount: "1000", batchStatus: "final", proof },
      ],
    });
    try {
      expect(await getWithdrawals({ l2 }, { owner })).to.deep.equal([
        { batch: 0, position: 3, recipient: owner, tokenId: 0, amount: 1000n, batchStatus: "final", proof },
      ]);
    } finally {
      await server.close();
    }
  });

  it("deriveL2Key_keyDerivationMessage_matchesCore", async () => {
    const account = privateKeyToAccount(`0x${"11".repeat(32)}`);
    const walletClient = createWalletClient({ account, transport: http("http://127.0.0.1:1") });
    const key = await deriveL2Key({ walletClient, info });
    const expected = l2PrivateKeyFromSignature(
      await account.signMessage({
        message: keyDerivationMessage({ l1ChainId: info.l1ChainId, l2ChainId: info.l2ChainId, rollupAddress: info.contracts.rollup }),
      }),
    );
    expect(key.privateKey).to.deep.equal(expected);
    expect(key.publicKey).to.deep.equal(publicKeyOf(expected));
  });
});
