import {
  type Address,
  type L2Op,
  type QueueEntry,
  QueueKind,
  L2State,
  BatchExecutor,
  NO_TOKEN,
  domainSeparator,
  encodeFloat40,
  encodeFloat8,
  l2OpMessage,
  publicKeyOf,
  resolveParams,
  signMessage,
} from "../../core/index.js";
import { keccak_256 } from "@noble/hashes/sha3.js";

export const params = resolveParams({ levels: 2 });
export const rollupAddress: Address = "0x5fbdb2315678afecb367f032d93f642f64180aa3";
export const domainFields = { l1ChainId: 31337, l2ChainId: 424242, rollupAddress };
export const domain = domainSeparator(domainFields);
export const feeRecipient: Address = "0x000000000000000000000000000000000000fee5";
export const ETH = 0;
export const TOKEN = 1;
export const header = { feeRecipient, feeTokens: [ETH, TOKEN, NO_TOKEN, NO_TOKEN] };

/** A deterministic test user: L2 key from a seed, an L1 address. */
export interface User {
  readonly privateKey: Uint8Array;
  readonly Ax: bigint;
  readonly Ay: bigint;
  readonly l1Address: Address;
}

export function user(seed: number): User {
  const privateKey = keccak_256(new TextEncoder().encode(`user ${seed}`));
  const { x, y } = publicKeyOf(privateKey);
  const l1Address = `0x${(0xa000 + seed).toString(16).padStart(40, "0")}` as Address;
  return { privateKey, Ax: x, Ay: y, l1Address };
}

export function createAccount(u: User, tokenId: number, amount: bigint): QueueEntry {
  return { kind: QueueKind.CreateAccount, l1Address: u.l1Address, tokenId, accountIdx: 0, amount, Ax: u.Ax, Ay: u.Ay };
}

export function deposit(from: Address, accountIdx: number, tokenId: number, amount: bigint): QueueEntry {
  return { kind: QueueKind.Deposit, l1Address: from, tokenId, accountIdx, amount, Ax: 0n, Ay: 0n };
}

export function forcedExit(from: Address, accountIdx: number): QueueEntry {
  return { kind: QueueKind.ForcedExit, l1Address: from, tokenId: 0, accountIdx, amount: 0n, Ax: 0n, Ay: 0n };
}

/** Signs an op for the sender's state in `state` (token and nonce as they are now). */
export function signedOp(
  state: L2State,
  signer: User,
  op: { fromIdx: number; toIdx: number; amount: bigint; fee?: bigint },
  opts: { nonce?: number; domain?: bigint } = {},
): L2Op {
  const unsigned: L2Op = {
    fromIdx: op.fromIdx,
    toIdx: op.toIdx,
    amountFloat40: encodeFloat40(op.amount),
    feeFloat8: encodeFloat8(op.fee ?? 0n),
  };
  const sender = state.account(op.fromIdx) ?? { tokenId: 0, nonce: 0 };
  const message = l2OpMessage(unsigned, { tokenId: sender.tokenId, nonce: opts.nonce ?? sender.nonce }, opts.domain ?? domain);
  return { ...unsigned, signature: signMessage(signer.privateKey, message) };
}

/** Runs queue entries through one batch so tests start from funded accounts. */
export function stateWith(entries: QueueEntry[]): L2State {
  const state = L2State.genesis(params);
  const exec = new BatchExecutor(state, header, { domain, mode: "optimistic" });
  for (const e of entries) exec.applyQueueEntry(e);
  exec.finish();
  return state;
}
