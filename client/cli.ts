/**
 * The `rollup` command line: the client actions for a terminal user of the devnet.
 * `npm run rollup -- --help` lists the commands; amounts are decimal tokens (18 decimals).
 */
import { readFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { BaseError as ViemBaseError, type Hex, createTestClient, http, isAddress, publicActions } from "viem";
import { type Address, BaseError, erc20Abi, bridgeAbi, rollupAbi } from "../core/index.js";
import { type RollupClient, createRollupClient } from "./createRollupClient.js";
import {
  AccountNotFoundError,
  AmountNotRepresentableError,
  ContractRevertError,
  ExodusActiveError,
  ExodusNotActiveError,
  ExodusNotDueError,
  InvalidAmountError,
  NotAccountKeyError,
  NothingToExitError,
  UnknownTokenAddressError,
} from "./errors.js";
import { type L2Account } from "./types.js";
import { formatTokenAmount, parseTokenAmount } from "./utils/amounts.js";
import { toL1Error } from "./utils/revert.js";

/** The command-line usage text. */
export const USAGE = `usage: rollup [options] <command> [arguments]

Commands:
  balance                      L1 ETH and TEST balances, and your L2 accounts (balance, nonce)
  deposit <amount>             move tokens from L1 to your L2 account for the token
                               (creates the account the first time); waits for the L2 balance
  transfer <toIdx> <amount>    L2 transfer from your account for the token to account toIdx
  withdraw <amount>            L2 withdrawal to your L1 address (then \`claim\` once final)
  claim                        claim every final, unclaimed withdrawal to your address
  status [opHash]              rollup status, or where one op is
  exit <accountIdx>            forced exit through L1: withdraws the account's whole balance
  warp [seconds]               devnet only: move L1 time forward (default: challenge window + 1)

  When the operator stops for good (docs/exodus.md); these need only the L1 (and --beacon):
  exodus                       is the rollup in exodus, which queue entry makes it due and when,
                               the last final state
  exodus activate [queueIndex] switch the rollup into exodus (anyone, once it is due)
  exodus withdraw [accountIdx] in exodus: your balances of the last final state, rebuilt from
                               L1 alone, paid on L1 (default: all your accounts, and your
                               unclaimed withdrawals of final batches)
  exodus refund [queueIndex]   in exodus: your deposits no final batch took, paid back on L1
                               (default: all yours)

Options:
  --devnet <path>              devnet description (default ./devnet.json)
  --account <n>                dev account n of devnet.json (default 0)
  --key <hex>                  your L1 private key, instead of a dev account
  --l1 <url>                   L1 RPC (default: from devnet.json)
  --l2 <url>                   L2 RPC (default: from devnet.json)
  --rollup <address>           the rollup on L1 (default: from devnet.json, else the L2 RPC)
  --beacon <url>               Beacon API for blob batches (default: from devnet.json)
  --token eth|test|<address>   the token (default eth)
  --fee <amount>               L2 fee for transfer and withdraw (default 0)
  --no-wait                    deposit: return once the L1 transaction is mined
  -h, --help                   this text

Amounts are decimal tokens with 18 decimals: 1.5 is 1.5e18 base units. Exit status: 0 done,
2 the input or the rollup's state does not allow it (the line says what to do), 1 a failure.`;

/** Where the CLI writes: one call per line. */
export interface CliIo {
  readonly out: (line: string) => void;
  readonly err: (line: string) => void;
}

/** The parts of devnet.json the CLI reads. */
interface DevnetJson {
  readonly l1?: { readonly rpcUrl?: string };
  readonly l2?: { readonly rpcUrl?: string };
  readonly contracts?: Readonly<Record<string, Address>>;
  readonly beacon?: { readonly url?: string };
  readonly deployBlock?: number;
  readonly tokens?: Readonly<Record<string, number>>;
  readonly accounts?: readonly { readonly address: Address; readonly privateKey: Hex }[];
}

/**
 * A mistake on the command line or in devnet.json.
 *
 * @example
 * throw new CliUsageError("missing <amount>", { details: "see rollup --help" })
 */
export class CliUsageError extends BaseError {
  override name = "CliUsageError";
}

const OPTIONS = {
  devnet: { type: "string", default: "devnet.json" },
  account: { type: "string" },
  key: { type: "string" },
  l1: { type: "string" },
  l2: { type: "string" },
  rollup: { type: "string" },
  beacon: { type: "string" },
  token: { type: "string", default: "eth" },
  fee: { type: "string", default: "0" },
  "no-wait": { type: "boolean", default: false },
  help: { type: "boolean", short: "h", default: false },
} as const;

type Options = ReturnType<typeof parseArgs<{ options: typeof OPTIONS; allowPositionals: true }>>["values"];

function readDevnet(path: string): DevnetJson {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (e) {
    throw new CliUsageError(`cannot read ${path}: ${(e as Error).message}`, {
      details: "start the devnet (npm run devnet) in this folder, pass --devnet <path>, or pass --l1, --l2 and --key",
    });
  }
  try {
    return JSON.parse(text) as DevnetJson;
  } catch {
    throw new CliUsageError(`${path} is not JSON`);
  }
}

/** Reads a non-negative integer argument. */
function readIndex(text: string | undefined, name: string): number {
  if (text === undefined) throw new CliUsageError(`missing <${name}>`, { details: "see rollup --help" });
  if (!/^\d+$/.test(text) || !Number.isSafeInteger(Number(text))) throw new CliUsageError(`<${name}> must be a whole number, got ${text}`);
  return Number(text);
}

function readAmount(text: string | undefined, name: string): bigint {
  if (text === undefined) throw new CliUsageError(`missing <${name}>`, { details: "see rollup --help" });
  return parseTokenAmount(text);
}

/** Restates an amount error in tokens, as the user typed the amount. */
function inTokens(e: unknown): unknown {
  if (!(e instanceof AmountNotRepresentableError)) return e;
  const choices = [e.below, e.above].filter((v) => v !== undefined && v > 0n).map((v) => formatTokenAmount(v!));
  return new AmountNotRepresentableError(`${e.field} ${formatTokenAmount(e.value)} cannot be posted exactly on L1`, {
    field: e.field,
    value: e.value,
    below: e.below,
    above: e.above,
    details: `L2 ${e.field === "amount" ? "amounts keep about 10 significant digits" : "fees keep one digit from 1 to 7 times a power of ten"}${
      choices.length ? `; use ${choices.join(" or ")}` : ""
    }`,
  });
}

/** One command's context: the parsed options, devnet.json when it is needed, the client. */
class Context {
  private devnetJson: DevnetJson | undefined;
  private rollupClient: RollupClient | undefined;

  constructor(
    readonly options: Options,
    readonly io: CliIo,
  ) {}

  get devnet(): DevnetJson {
    return (this.devnetJson ??= readDevnet(this.options.devnet));
  }

  get l1Url(): string {
    const url = this.options.l1 ?? this.devnet.l1?.rpcUrl;
    if (!url) throw new CliUsageError(`no L1 RPC: ${this.options.devnet} has no l1.rpcUrl`, { details: "pass --l1 <url>" });
    return url;
  }

  get client(): RollupClient {
    if (this.rollupClient) return this.rollupClient;
    const l2RpcUrl = this.options.l2 ?? this.devnet.l2?.rpcUrl;
    if (!l2RpcUrl) throw new CliUsageError(`no L2 RPC: ${this.options.devnet} has no l2.rpcUrl`, { details: "pass --l2 <url>" });
    return (this.rollupClient = createRollupClient({ l1RpcUrl: this.l1Url, l2RpcUrl, account: this.privateKey(), deployment: this.deployment() }));
  }

  /** Where the rollup is on L1, so the exodus commands need no L2 RPC: --rollup, else devnet.json's; else the L2 RPC names it. */
  private deployment(): Parameters<typeof createRollupClient>[0]["deployment"] {
    // devnet.json describes the rollup only when it is also where the RPCs come from.
    const devnet = this.options.l1 === undefined && this.options.l2 === undefined ? this.devnet : undefined;
    const rollup = this.options.rollup ?? devnet?.contracts?.rollup;
    if (rollup === undefined) return undefined;
    if (!isAddress(rollup)) throw new CliUsageError(`--rollup must be an address, got ${rollup}`);
    const described = devnet?.contracts?.rollup?.toLowerCase() === rollup.toLowerCase() ? devnet : undefined;
    return {
      rollup,
      bridge: described?.contracts?.bridge,
      fromBlock: described?.deployBlock === undefined ? undefined : BigInt(described.deployBlock),
      beaconUrl: this.options.beacon ?? described?.beacon?.url,
    };
  }

  private privateKey(): Hex {
    if (this.options.key !== undefined) {
      const key = this.options.key.startsWith("0x") ? this.options.key : `0x${this.options.key}`;
      if (!/^0x[0-9a-fA-F]{64}$/.test(key)) throw new CliUsageError("--key must be 32 bytes of hex");
      return key as Hex;
    }
    const n = readIndex(this.options.account ?? "0", "account");
    const accounts = this.devnet.accounts ?? [];
    const account = accounts[n];
    if (!account) throw new CliUsageError(`no dev account ${n}: ${this.options.devnet} lists ${accounts.length}`, { details: "pass --account 0.." + Math.max(0, accounts.length - 1) + " or --key <hex>" });
    return account.privateKey;
  }

  async testToken(): Promise<Address | undefined> {
    const info = await this.client.getRollupInfo();
    return info.contracts.testToken ?? this.devnetJson?.contracts?.testToken;
  }

  /** The token id of `--token`. */
  async tokenId(): Promise<number> {
    const token = this.options.token.toLowerCase();
    if (token === "eth") return 0;
    if (/^\d+$/.test(token)) return Number(token);
    if (token === "test") {
      const address = await this.testToken();
      if (!address) throw new CliUsageError("this rollup has no test token", { details: "pass --token <address>" });
      return this.client.getTokenId({ token: address });
    }
    if (isAddress(token)) return this.client.getTokenId({ token });
    throw new CliUsageError(`--token must be eth, test, a token address or a token id, got ${this.options.token}`);
  }

  /** "ETH", the ERC20's symbol, or "token N". */
  async tokenName(tokenId: number): Promise<string> {
    if (tokenId === 0) return "ETH";
    try {
      const { publicClient, deployment } = await this.client.exodusClients();
      const { bridge } = deployment;
      const address = await publicClient.readContract({ address: bridge, abi: bridgeAbi, functionName: "tokenAddress", args: [tokenId] });
      return await publicClient.readContract({ address, abi: erc20Abi, functionName: "symbol" });
    } catch {
      return `token ${tokenId}`;
    }
  }

  /** Your account for the token, signed by your L2 key. */
  async ownAccount(tokenId: number): Promise<L2Account | undefined> {
    const { publicKey } = await this.client.deriveL2Key();
    return this.client.findAccount({ tokenId, publicKey });
  }
}

type Command = (ctx: Context, args: readonly string[]) => Promise<void>;

const balance: Command = async (ctx) => {
  const { client, io } = ctx;
  const address = client.account.address;
  io.out(`address ${address}`);
  const ethBalance = await client.publicClient.getBalance({ address }).catch((e: unknown) => Promise.reject(toL1Error(e)));
  const l1 = [`${formatTokenAmount(ethBalance)} ETH`];
  const testToken = await ctx.testToken();
  if (testToken) {
    const [tokenBalance, symbol] = await Promise.all([
      client.publicClient.readContract({ address: testToken, abi: erc20Abi, functionName: "balanceOf", args: [address] }),
      client.publicClient.readContract({ address: testToken, abi: erc20Abi, functionName: "symbol" }),
    ]).catch((e: unknown) => Promise.reject(toL1Error(e)));
    l1.push(`${formatTokenAmount(tokenBalance)} ${symbol}`);
  }
  io.out(`L1: ${l1.join(", ")}`);
  const accounts = await client.getAccountsByOwner();
  if (accounts.length === 0) {
    io.out("L2: no accounts (create one with `rollup deposit <amount>`)");
    return;
  }
  const { publicKey } = await client.deriveL2Key();
  io.out("L2:");
  for (const a of accounts) {
    const foreign = a.publicKey.x !== publicKey.x || a.publicKey.y !== publicKey.y ? "  (another L2 key)" : "";
    io.out(`  #${a.index}  ${formatTokenAmount(a.balance)} ${await ctx.tokenName(a.tokenId)}  nonce ${a.nonce}${foreign}`);
  }
};

const deposit: Command = async (ctx, [amountText]) => {
  const amount = readAmount(amountText, "amount");
  const { client, io } = ctx;
  const tokenId = await ctx.tokenId();
  const name = await ctx.tokenName(tokenId);
  const existing = await ctx.ownAccount(tokenId);
  const wait = !ctx.options["no-wait"];
  if (!existing) {
    const { l1TxHash, queueIndex } = await client.createAccount({ tokenId, amount });
    io.out(`creating an L2 ${name} account with ${formatTokenAmount(amount)} ${name}: L1 tx ${l1TxHash}, queue entry ${queueIndex}`);
    if (!wait) return;
    const { publicKey } = await client.deriveL2Key();
    const account = await client.waitForAccount({ tokenId, publicKey, minBalance: amount });
    io.out(`L2 account #${account.index}: ${formatTokenAmount(account.balance)} ${name}`);
    return;
  }
  const { l1TxHash, queueIndex } = await client.deposit({ accountIdx: existing.index, tokenId, amount });
  io.out(`depositing ${formatTokenAmount(amount)} ${name} into L2 account #${existing.index}: L1 tx ${l1TxHash}, queue entry ${queueIndex}`);
  if (!wait) return;
  const account = await client.waitForAccount({ tokenId, index: existing.index, minBalance: existing.balance + amount });
  io.out(`L2 account #${account.index}: ${formatTokenAmount(account.balance)} ${name}`);
};

const transfer: Command = async (ctx, [toText, amountText]) => {
  const toIdx = readIndex(toText, "toIdx");
  const amount = readAmount(amountText, "amount");
  const fee = parseTokenAmount(ctx.options.fee);
  const tokenId = await ctx.tokenId();
  const { hash, status } = await ctx.client.transfer({ toIdx, amount, fee, tokenId }).catch((e: unknown) => Promise.reject(inTokens(e)));
  ctx.io.out(`sent ${formatTokenAmount(amount)} ${await ctx.tokenName(tokenId)} to #${toIdx}: op ${hash} (${status})`);
};

const withdraw: Command = async (ctx, [amountText]) => {
  const amount = readAmount(amountText, "amount");
  const fee = parseTokenAmount(ctx.options.fee);
  const tokenId = await ctx.tokenId();
  const { hash, status } = await ctx.client.withdraw({ amount, fee, tokenId }).catch((e: unknown) => Promise.reject(inTokens(e)));
  ctx.io.out(`withdrawing ${formatTokenAmount(amount)} ${await ctx.tokenName(tokenId)}: op ${hash} (${status})`);
  ctx.io.out("claim it on L1 with `rollup claim` once its batch is final");
};

const claim: Command = async (ctx) => {
  const { client, io } = ctx;
  const withdrawals = await client.getWithdrawals();
  let claimed = 0;
  let failed = 0;
  let open = 0;
  for (const w of withdrawals) {
    const what = `${formatTokenAmount(w.amount)} ${await ctx.tokenName(w.tokenId)} (batch ${w.batch}, position ${w.position})`;
    const state = await client.getWithdrawalStatus(w);
    if (state.status === "claimed") continue;
    open++;
    if (state.status === "unposted") {
      io.out(`not final: ${what}: the batch is not on L1 yet`);
    } else if (state.status === "pending") {
      const wait = state.finalizableAt - state.l1Time;
      const at = new Date(Number(state.finalizableAt) * 1000).toISOString();
      io.out(`not final: ${what}: final at L1 time ${at} (in ${wait}s; on a devnet, \`rollup warp\`)`);
    } else {
      try {
        const { l1TxHash } = await client.claimWithdrawal(w);
        io.out(`claimed ${what}: L1 tx ${l1TxHash}`);
        claimed++;
      } catch (e) {
        io.err(`failed to claim ${what}: ${oneLine(e)}`);
        failed++;
      }
    }
  }
  if (open === 0) io.out(`nothing to claim: ${withdrawals.length} withdrawal(s) to ${client.account.address}, all claimed`);
  else io.out(`claimed ${claimed} of ${open} unclaimed withdrawal(s)`);
  if (failed > 0) throw new CliUsageError(`${failed} claim(s) failed`);
};

const status: Command = async (ctx, [hash]) => {
  const { client, io } = ctx;
  if (hash !== undefined) {
    if (!/^0x[0-9a-fA-F]{64}$/.test(hash)) throw new CliUsageError(`an op hash is 0x and 64 hex digits, got ${hash}`);
    const op = await client.getOp({ hash: hash as Hex });
    io.out(`op ${op.hash}: ${op.status}`);
    io.out(`  ${op.kind} #${op.fromIdx} -> ${op.kind === "withdraw" ? "L1" : `#${op.toIdx}`}, amount ${formatTokenAmount(op.amount)}, fee ${formatTokenAmount(op.fee)}, nonce ${op.nonce}`);
    io.out(`  batch ${op.batch ?? "(open)"}${op.l1TxHash ? `, posted in L1 tx ${op.l1TxHash}` : ""}`);
    return;
  }
  const info = await client.getRollupInfo();
  const s = await client.getRollupStatus();
  const challengeWindow = await client.publicClient
    .readContract({ address: info.contracts.rollup, abi: rollupAbi, functionName: "challengeWindow" })
    .catch((e: unknown) => Promise.reject(toL1Error(e)));
  io.out(`L1 chain ${info.l1ChainId}, L2 chain ${info.l2ChainId}, ${info.mode}, ${8 ** info.levels} account slots`);
  io.out(`rollup ${info.contracts.rollup}, bridge ${info.contracts.bridge}`);
  io.out(`batches: ${s.batches} sealed, ${s.postedBatches} on L1, ${s.finalBatches} final; challenge window ${challengeWindow}s`);
  io.out(`open batch: ${s.openBatch ? `#${s.openBatch.index} with ${s.openBatch.size} op(s)` : "none"}`);
  io.out(`accounts: ${s.accounts}; L1 queue entries waiting: ${s.unconsumedQueueEntries}`);
  io.out(`state root ${`0x${s.stateRoot.toString(16)}`}`);
};

const exit: Command = async (ctx, [indexText]) => {
  const accountIdx = readIndex(indexText, "accountIdx");
  const { l1TxHash, queueIndex } = await ctx.client.forcedExit({ accountIdx });
  ctx.io.out(`forced exit of #${accountIdx} queued: L1 tx ${l1TxHash}, queue entry ${queueIndex}`);
  ctx.io.out("batches must include it before its deadline; claim with `rollup claim` once its batch is final");
};

const warp: Command = async (ctx, [secondsText]) => {
  const requested = secondsText === undefined ? undefined : readIndex(secondsText, "seconds");
  const l1 = createTestClient({ mode: "hardhat", transport: http(ctx.l1Url) }).extend(publicActions);
  // devnet.json first, so warp works while the sequencer is down.
  const rollup = (ctx.options.l2 === undefined ? ctx.devnet.contracts?.rollup : undefined) ?? (await ctx.client.getRollupInfo()).contracts.rollup;
  try {
    const seconds = requested ?? Number((await l1.readContract({ address: rollup, abi: rollupAbi, functionName: "challengeWindow" })) + 1n);
    await l1.increaseTime({ seconds });
    await l1.request({ method: "evm_mine", params: undefined });
    const block = await l1.getBlock({ blockTag: "latest" });
    ctx.io.out(`L1 time moved forward ${seconds}s: now ${new Date(Number(block.timestamp) * 1000).toISOString()} (block ${block.number})`);
  } catch (e) {
    throw toL1Error(e);
  }
};

const when = (t: bigint): string => new Date(Number(t) * 1000).toISOString();
const root = (r: bigint): string => `0x${r.toString(16).padStart(64, "0")}`;

const exodusStatus: Command = async (ctx) => {
  const { io } = ctx;
  const s = await ctx.client.getExodusStatus();
  const final = `root ${root(s.finalStateRoot)}, after ${s.finalBatches} final batch(es) of ${s.batches}`;
  if (s.active) {
    io.out(`the rollup is IN EXODUS: no batch can change its last final state (${final})`);
    io.out(`accounts exit from that state with \`rollup exodus withdraw\`; deposits from queue entry ${s.finalQueueEnd} on are refunded with \`rollup exodus refund\``);
    return;
  }
  io.out(`the rollup is not in exodus: ${s.batches} batch(es) on L1, ${s.finalBatches} final; last final state ${final}`);
  io.out(`an entry overdue for the exodus delay with no batch coming makes it due: inclusion window ${s.inclusionWindow} s + exodus delay ${s.exodusDelay} s`);
  const e = s.entry;
  if (!e) {
    io.out(`no queue entry is waiting (${s.queueLength} consumed): the exodus cannot be due; a user makes one with \`rollup exit <accountIdx>\``);
    return;
  }
  const deadline = e.overdue ? `overdue since ${when(e.deadline)}` : `due in a batch by ${when(e.deadline)}`;
  io.out(`queue entry ${e.queueIndex} is waiting (${deadline}); L1 time is ${when(s.l1Time)}`);
  io.out(
    e.due
      ? `the exodus is DUE: anyone may activate it with \`rollup exodus activate\``
      : `the exodus becomes due after ${when(e.dueAt)} (in ${e.dueAt - s.l1Time + 1n} s) if no batch consumes the entry`,
  );
};

const exodusActivate: Command = async (ctx, [indexText]) => {
  const queueIndex = indexText === undefined ? undefined : readIndex(indexText, "queueIndex");
  const r = await ctx.client.activateExodus({ queueIndex });
  ctx.io.out(`the rollup is now in EXODUS (queue entry ${r.queueIndex}, L1 tx ${r.l1TxHash}): kept ${r.finalBatches} final batch(es), removed ${r.removedBatches}`);
  ctx.io.out(`accounts exit from state root ${root(r.finalStateRoot)}: \`rollup exodus withdraw\`; unconsumed deposits: \`rollup exodus refund\``);
};

const exodusWithdraw: Command = async (ctx, [indexText]) => {
  const accountIdx = indexText === undefined ? undefined : readIndex(indexText, "accountIdx");
  const { exits, claims, stateRoot } = await ctx.client.exodusWithdraw({ accountIdx });
  const to = ctx.client.account.address;
  for (const x of exits) ctx.io.out(`account #${x.accountIdx}: ${formatTokenAmount(x.amount)} ${await ctx.tokenName(x.tokenId)} paid to ${to} on L1 (L1 tx ${x.l1TxHash})`);
  for (const c of claims) {
    ctx.io.out(`withdrawal of batch ${c.batchIndex} (position ${c.position}): ${formatTokenAmount(c.amount)} ${await ctx.tokenName(c.tokenId)} claimed to ${to} (L1 tx ${c.l1TxHash})`);
  }
  ctx.io.out(`${exits.length} account(s) exited and ${claims.length} withdrawal(s) claimed, proven against final state root ${root(stateRoot)}, rebuilt from L1 alone`);
};

const exodusRefund: Command = async (ctx, [indexText]) => {
  const queueIndex = indexText === undefined ? undefined : readIndex(indexText, "queueIndex");
  const { refunds } = await ctx.client.refundDeposit({ queueIndex });
  for (const r of refunds) {
    ctx.io.out(`queue entry ${r.queueIndex}: ${formatTokenAmount(r.amount)} ${await ctx.tokenName(r.tokenId)} refunded to ${r.recipient} (L1 tx ${r.l1TxHash})`);
  }
};

const EXODUS_COMMANDS: Readonly<Record<string, Command>> = { status: exodusStatus, activate: exodusActivate, withdraw: exodusWithdraw, refund: exodusRefund };

const exodus: Command = async (ctx, [sub = "status", ...args]) => {
  const command = Object.hasOwn(EXODUS_COMMANDS, sub) ? EXODUS_COMMANDS[sub] : undefined;
  if (!command) throw new CliUsageError(`unknown exodus command ${sub}`, { details: `use one of: rollup exodus ${Object.keys(EXODUS_COMMANDS).join("|")}` });
  await command(ctx, args);
};

const COMMANDS: Readonly<Record<string, Command>> = { balance, deposit, transfer, withdraw, claim, status, exit, warp, exodus };

/** Errors that mean the input, or the rollup's state, does not allow the command: exit status 2. */
const REFUSALS = [
  CliUsageError,
  InvalidAmountError,
  AmountNotRepresentableError,
  UnknownTokenAddressError,
  AccountNotFoundError,
  NotAccountKeyError,
  ContractRevertError,
  ExodusActiveError,
  ExodusNotActiveError,
  ExodusNotDueError,
  NothingToExitError,
];

/** The one line the CLI prints for an error: what was wrong, then what to do. */
function oneLine(e: unknown): string {
  if (e instanceof BaseError) return e.details ? `${e.shortMessage} — ${e.details}` : e.shortMessage;
  if (e instanceof ViemBaseError) return e.shortMessage;
  return e instanceof Error ? (e.message.split("\n")[0] ?? e.name) : String(e);
}

/**
 * Runs the CLI on `argv` (without `node` and the script) and returns the exit code: 0 on
 * success; after printing one line for an error, 2 when the input or the rollup's state does
 * not allow the command (the line says what to do), 1 for a failure (an RPC unreachable).
 *
 * @example
 * process.exitCode = await runCli(process.argv.slice(2))
 */
export async function runCli(argv: readonly string[], io: CliIo = { out: console.log, err: console.error }): Promise<number> {
  try {
    let parsed;
    try {
      parsed = parseArgs({ args: [...argv], options: OPTIONS, allowPositionals: true });
    } catch (e) {
      throw new CliUsageError((e as Error).message, { details: "see rollup --help" });
    }
    const [name, ...args] = parsed.positionals;
    if (parsed.values.help || name === undefined || name === "help") {
      io.out(USAGE);
      return 0;
    }
    const command = Object.hasOwn(COMMANDS, name) ? COMMANDS[name] : undefined;
    if (!command) throw new CliUsageError(`unknown command ${name}`, { details: `the commands are ${Object.keys(COMMANDS).join(", ")}` });
    await command(new Context(parsed.values, io), args);
    return 0;
  } catch (e) {
    io.err(`error: ${oneLine(e)}`);
    return REFUSALS.some((refusal) => e instanceof refusal) ? 2 : 1;
  }
}
