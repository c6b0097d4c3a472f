/**
 * The L2 JSON-RPC as types: for every method its name, `Parameters` (a tuple), `ReturnType`
 * and the JSON-RPC errors it answers with, the JSON shapes it speaks, its error codes and its
 * limits. The source of truth of the RPC: the sequencer's method table
 * (sequencer/rpc/methods.ts) is typed against `L2RpcSchema`, the client's transport
 * (client/l2.ts) infers each result from it, and docs/rpc.md describes it. Entries have viem's
 * shape (`Method`, `Parameters`, `ReturnType`). Pure: types and constants, no I/O.
 *
 * On the wire, amounts are decimal strings of base units, field elements and hashes 0x-hex,
 * account indices and nonces JSON numbers.
 */
import { type Address, type Hex } from "./bytes.js";

/**
 * The most requests one JSON-RPC batch may hold (geth's default). A larger batch gets one
 * `LimitExceeded` error and none of its requests run.
 *
 * @example
 * for (let i = 0; i < requests.length; i += RPC_MAX_BATCH_REQUESTS) await send(requests.slice(i, i + RPC_MAX_BATCH_REQUESTS))
 */
export const RPC_MAX_BATCH_REQUESTS = 1000;

/**
 * The largest request body the L2 RPC reads, in bytes (5 MiB: a full batch of
 * `rollup_sendOp` requests with the largest fields is under 0.4 MB). A larger body gets HTTP
 * 413 with a `LimitExceeded` error, and the connection is closed.
 *
 * @example
 * const fits = Buffer.byteLength(JSON.stringify(batch)) <= RPC_MAX_BODY_BYTES
 */
export const RPC_MAX_BODY_BYTES = 5 * 1024 * 1024;

/**
 * The JSON-RPC error codes of the L2 RPC: JSON-RPC 2.0's, then server codes as Ethereum nodes
 * use them (-32000 for a refused transaction; -32005 "limit exceeded" is EIP-1474's).
 *
 * @example
 * if (error.code === RpcErrorCode.OpRejected) console.log(error.data.reason)
 */
export const RpcErrorCode = {
  ParseError: -32700,
  InvalidRequest: -32600,
  MethodNotFound: -32601,
  InvalidParams: -32602,
  Internal: -32603,
  /** The op was well-formed but the sequencer refused it. */
  OpRejected: -32000,
  /** No op with that hash, or no batch with that index (yet). */
  NotFound: -32001,
  /** A batch of more than `RPC_MAX_BATCH_REQUESTS` requests, or a body over `RPC_MAX_BODY_BYTES`. */
  LimitExceeded: -32005,
} as const;

/**
 * One of the L2 RPC's error codes.
 *
 * @example
 * const code: RpcErrorCode = RpcErrorCode.NotFound
 */
export type RpcErrorCode = (typeof RpcErrorCode)[keyof typeof RpcErrorCode];

/**
 * The `data` of a refused op (-32000): `reason` is the STF outcome (docs/protocol.md §7, e.g.
 * `InsufficientBalance`), `NonceTooLow`/`NonceTooHigh`, or `RollupInExodus` (the rollup is in
 * exodus on L1 and takes no more ops), `details` what was found.
 *
 * @example
 * const data: OpRejectedData = { reason: "InsufficientBalance", details: "account 2 has 100, the op needs 150 + fee 1" }
 */
export interface OpRejectedData {
  readonly reason: string;
  readonly details: string | null;
}

/**
 * The `data` of a request over a limit (-32005): the limit, in requests per batch or bytes
 * per body.
 *
 * @example
 * const data: LimitExceededData = { limit: RPC_MAX_BATCH_REQUESTS }
 */
export interface LimitExceededData {
  readonly limit: number;
}

/**
 * The `data` an error code carries; `undefined` for codes that carry none.
 *
 * @example
 * const data: RpcErrorData<typeof RpcErrorCode.OpRejected> = { reason: "BadSignature", details: null }
 */
export type RpcErrorData<code extends RpcErrorCode> = code extends typeof RpcErrorCode.OpRejected
  ? OpRejectedData
  : code extends typeof RpcErrorCode.LimitExceeded
    ? LimitExceededData
    : undefined;

/**
 * A JSON-RPC error object as the L2 RPC sends it, for each code in `code`.
 *
 * @example
 * const error: RpcErrorObject<typeof RpcErrorCode.NotFound> = { code: -32001, message: "no op with hash 0x01" }
 */
export type RpcErrorObject<code extends RpcErrorCode = RpcErrorCode> = code extends RpcErrorCode
  ? RpcErrorData<code> extends undefined
    ? { readonly code: code; readonly message: string }
    : { readonly code: code; readonly message: string; readonly data: RpcErrorData<code> }
  : never;

type ErrorsOf<name extends keyof typeof RpcErrorCode> = RpcErrorObject<(typeof RpcErrorCode)[name]>;

/**
 * The errors any request can get, whatever its method: the body is not JSON, not a request,
 * names no method of the schema, has `params` that are not an array, is over a limit, or the
 * server failed.
 *
 * @example
 * const error: RpcRequestErrors = { code: -32601, message: "method not found: eth_sendTransaction" }
 */
export type RpcRequestErrors = ErrorsOf<"ParseError" | "InvalidRequest" | "MethodNotFound" | "InvalidParams" | "LimitExceeded" | "Internal">;

/**
 * One method of a JSON-RPC schema, in viem's shape plus the errors the method itself answers
 * with (besides `RpcRequestErrors`). `Parameters` is optional (`?`) when the method takes none
 * or only optional ones.
 *
 * @example
 * type GetOp = { Method: "rollup_getOp"; Parameters: [hash: Hex]; ReturnType: OpInfo; Errors: RpcErrorObject<-32602 | -32001> }
 */
export interface RpcMethodSchema {
  readonly Method: string;
  readonly Parameters?: readonly unknown[] | undefined;
  readonly ReturnType: unknown;
  readonly Errors?: RpcErrorObject;
}

/**
 * A JSON-RPC schema: a tuple of methods. `RpcSchema` itself is the schema of any method
 * (name `string`, result `unknown`), e.g. for a client of a test server.
 *
 * @example
 * const l2 = createL2Client<RpcSchema>(url)
 */
export type RpcSchema = readonly RpcMethodSchema[];

/**
 * The method names of a schema.
 *
 * @example
 * const method: RpcMethodName<L2RpcSchema> = "rollup_getStatus"
 */
export type RpcMethodName<schema extends RpcSchema> = schema[number]["Method"];

/**
 * The schema entry of `method` (every entry whose name `method` can be, for a loose schema).
 *
 * @example
 * type GetOp = RpcMethodOf<L2RpcSchema, "rollup_getOp">
 */
export type RpcMethodOf<schema extends RpcSchema, method extends string> =
  schema[number] extends infer entry ? (entry extends RpcMethodSchema ? (method extends entry["Method"] ? entry : never) : never) : never;

/**
 * What `method` takes as `params`; `undefined` when it takes none.
 *
 * @example
 * const params: RpcParameters<L2RpcSchema, "rollup_getBatch"> = [0]
 */
export type RpcParameters<schema extends RpcSchema, method extends string> = RpcMethodOf<schema, method>["Parameters"];

/**
 * What `method` returns as `result`.
 *
 * @example
 * const batch: RpcReturnType<L2RpcSchema, "rollup_getBatch"> = await l2.request({ method: "rollup_getBatch", params: [0] })
 */
export type RpcReturnType<schema extends RpcSchema, method extends string> = RpcMethodOf<schema, method>["ReturnType"];

/**
 * The argument of a `request` call: `{ method, params }`, `params` optional when the method
 * takes none.
 *
 * @example
 * const args: RpcRequestArguments<L2RpcSchema, "rollup_getOp"> = { method: "rollup_getOp", params: [hash] }
 */
export type RpcRequestArguments<schema extends RpcSchema, method extends RpcMethodName<schema>> =
  undefined extends RpcParameters<schema, method>
    ? { readonly method: method; readonly params?: RpcParameters<schema, method> }
    : { readonly method: method; readonly params: RpcParameters<schema, method> };

/**
 * A typed `request` function over a schema, as viem's `EIP1193RequestFn`: the method name
 * picks the parameters and the result.
 *
 * @example
 * const request: RpcRequestFn<L2RpcSchema> = createL2Client(url).request
 * const { batches } = await request({ method: "rollup_getStatus" })
 */
export type RpcRequestFn<schema extends RpcSchema> = <method extends RpcMethodName<schema>>(
  args: RpcRequestArguments<schema, method>,
) => Promise<RpcReturnType<schema, method>>;

// ─── The JSON shapes ──────────────────────────────────────────────────────────────────────

/**
 * Base units as a decimal string (JSON numbers lose precision above 2^53).
 *
 * @example
 * const amount: DecimalString = "1000000000000000000"
 */
export type DecimalString = string;

/**
 * How batches settle: a challenge window and fraud proofs, or a Groth16 proof per batch.
 *
 * @example
 * if (info.mode === "zk") console.log("batches are final once proven")
 */
export type SettlementMode = "optimistic" | "zk";

/**
 * Where an op is in its life: accepted (`pending`), in a closed batch whose commitments are
 * built (`sealed`), in a batch on L1 (`batched`), final on L1 (`final`).
 *
 * @example
 * const status: OpStatus = "batched"
 */
export type OpStatus = "pending" | "sealed" | "batched" | "final";

/**
 * Where a batch is: an op status past `pending`.
 *
 * @example
 * const status: BatchStatus = "final"
 */
export type BatchStatus = Exclude<OpStatus, "pending">;

/**
 * Where a batch's data is on L1.
 *
 * @example
 * const da: DataAvailability = "blobs"
 */
export type DataAvailability = "calldata" | "blobs";

/**
 * Where a ZK batch's proof stands: `queued` (waiting for a prover worker), `proving`, `proven`
 * or `failed`.
 *
 * @example
 * const status: ProofStatus = "proving"
 */
export type ProofStatus = "queued" | "proving" | "proven" | "failed";

/**
 * A ZK batch's proof (`rollup_getBatch` in ZK mode).
 *
 * @example
 * const proof: ProofInfo = { status: "proven", seconds: 12.5 }
 */
export interface ProofInfo {
  readonly status: ProofStatus;
  /** The proving time once `proven`, the time since the batch was queued before; null for a batch proved before a restart. */
  readonly seconds: number | null;
}

/**
 * The deployment (`rollup_getInfo`).
 *
 * @example
 * const { contracts, mode } = await l2.request({ method: "rollup_getInfo" })
 */
export interface RollupInfo {
  readonly l1ChainId: number;
  readonly l2ChainId: number;
  /** L1 contract addresses by name; `rollup` and `bridge` always, others on a devnet (`testToken`). */
  readonly contracts: { readonly rollup: Address; readonly bridge: Address } & Readonly<Record<string, Address>>;
  /** Depth of the 8-ary account tree. */
  readonly levels: number;
  readonly mode: SettlementMode;
  /** L1 address the batch fees are paid to. */
  readonly feeRecipient: Address;
  /** Tokens the sequencer charges fees in (4 slots, 2^32 − 1 for unused). */
  readonly feeTokens: readonly number[];
  /** A batch closes at this many queue entries + ops (in ZK mode, the circuit's slots). */
  readonly maxBatchOps: number;
  /** A batch closes this long after it opened. */
  readonly maxBatchDelayMs: number;
}

/**
 * An L2 account (`rollup_getAccount`, `rollup_getAccountsByOwner`).
 *
 * @example
 * const account: AccountInfo | null = await l2.request({ method: "rollup_getAccount", params: [2] })
 */
export interface AccountInfo {
  readonly index: number;
  readonly tokenId: number;
  readonly balance: DecimalString;
  readonly nonce: number;
  /** The BabyJubJub public key that signs the account's ops. */
  readonly publicKey: { readonly x: Hex; readonly y: Hex };
  /** The L1 owner. */
  readonly ethAddr: Address;
}

/**
 * A signed op as `rollup_sendOp` and `rollup_encodeOp` take it. `toIdx: 1` makes it a
 * withdrawal; `amount` must be exact as float40 and `fee` as float8 (docs/protocol.md §4).
 *
 * @example
 * const { request } = signOp({ fromIdx: 2, toIdx: 3, amount, fee: 0n, sender, domain, privateKey })
 * await l2.request({ method: "rollup_sendOp", params: [request] })
 */
export interface SendOpRequest {
  readonly fromIdx: number;
  readonly toIdx: number;
  readonly amount: DecimalString;
  readonly fee: DecimalString;
  /** The sender's next nonce. */
  readonly nonce: number;
  /** The L2 chain id (the signature's domain binds it too). */
  readonly chainId: number;
  /** The 64-byte wire signature of `l2OpMessage` (packed R8 ‖ S), 0x-hex. */
  readonly signature: Hex;
}

/**
 * An accepted op (`rollup_sendOp`, `rollup_sendRawOp`): its hash and status.
 *
 * @example
 * const { hash, status }: SendOpResult = await l2.request({ method: "rollup_sendOp", params: [request] })
 */
export interface SendOpResult {
  readonly hash: Hex;
  readonly status: OpStatus;
}

/**
 * An accepted op and where it is (`rollup_getOp`).
 *
 * @example
 * const op: OpInfo = await l2.request({ method: "rollup_getOp", params: [hash] })
 */
export interface OpInfo {
  readonly hash: Hex;
  readonly status: OpStatus;
  /** The batch holding the op, once sealed. */
  readonly batch: number | null;
  /** The L1 transaction that posted the batch. */
  readonly l1TxHash: Hex | null;
  readonly fromIdx: number;
  readonly toIdx: number;
  readonly kind: "transfer" | "withdraw";
  readonly amount: DecimalString;
  readonly fee: DecimalString;
  readonly nonce: number;
  /** Milliseconds since the epoch. */
  readonly acceptedAt: number;
}

/**
 * A sealed batch (`rollup_getBatch`, `rollup_getBatches`).
 *
 * @example
 * const batch: BatchInfo = await l2.request({ method: "rollup_getBatch", params: [0] })
 */
export interface BatchInfo {
  readonly index: number;
  readonly status: BatchStatus;
  readonly l1TxHash: Hex | null;
  readonly l1Block: number | null;
  /** Where the batch's data is on L1; null before it is posted (or if it was posted before a crash). */
  readonly da: DataAvailability | null;
  readonly queueStart: number;
  readonly queueEnd: number;
  readonly opCount: number;
  readonly stepCount: number;
  readonly preStateRoot: Hex;
  readonly postStateRoot: Hex;
  readonly withdrawalsRoot: Hex;
  /** The keccak root of the step hashes; 0 for a ZK batch, as on L1. */
  readonly stepsRoot: Hex;
  /** Length of the payload posted on L1 (the ZK payload in ZK mode). */
  readonly payloadBytes: number;
  /** ZK mode only: the batch's proof (null before it is queued). */
  readonly proof?: ProofInfo | null;
}

/**
 * The open batch (`rollup_getStatus`): its index, queue entries + ops so far, and when it opened.
 *
 * @example
 * const open: OpenBatchInfo | null = (await l2.request({ method: "rollup_getStatus" })).openBatch
 */
export interface OpenBatchInfo {
  readonly index: number;
  readonly size: number;
  /** Milliseconds since the epoch. */
  readonly openedAt: number;
}

/**
 * The sequencer's view of the rollup (`rollup_getStatus`; docs/rpc.md "Status" says when each
 * field is current).
 *
 * @example
 * const { postedBatches, batches, openBatch }: StatusInfo = await l2.request({ method: "rollup_getStatus" })
 */
export interface StatusInfo {
  /** The state root after every accepted op. */
  readonly stateRoot: Hex;
  readonly accounts: number;
  /** Closed batches, including one whose commitments are still being built. */
  readonly batches: number;
  readonly postedBatches: number;
  readonly finalBatches: number;
  readonly openBatch: OpenBatchInfo | null;
  readonly unconsumedQueueEntries: number;
  /** The rollup is in exodus on L1 (docs/protocol.md §11): the sequencer posts nothing and refuses ops. */
  readonly exodus: boolean;
  /** ZK mode only: proving jobs queued or running. */
  readonly proverQueue?: number;
}

/**
 * A withdrawal leaf paying an L1 address (`rollup_getWithdrawals`), with the Merkle proof
 * `Bridge.claimWithdrawal` takes.
 *
 * @example
 * const [w]: WithdrawalInfo[] = await l2.request({ method: "rollup_getWithdrawals", params: [owner] })
 */
export interface WithdrawalInfo {
  readonly batch: number;
  readonly position: number;
  readonly recipient: Address;
  readonly tokenId: number;
  readonly amount: DecimalString;
  /** The batch's status as the sequencer last saw it. */
  readonly batchStatus: BatchStatus;
  /** Per level from the leaves, the 7 siblings (0x-hex): 5 × 7 hashes. */
  readonly proof: readonly (readonly Hex[])[];
}

// ─── The methods ──────────────────────────────────────────────────────────────────────────

/**
 * The L2 JSON-RPC (docs/rpc.md): every method with its parameters, result and own errors.
 *
 * @example
 * const l2 = createL2Client("http://127.0.0.1:8546") // an L2Client<L2RpcSchema>
 * const op = await l2.request({ method: "rollup_getOp", params: [hash] }) // an OpInfo
 */
export type L2RpcSchema = readonly [
  { Method: "eth_chainId"; Parameters?: undefined; ReturnType: Hex; Errors?: undefined },
  { Method: "net_version"; Parameters?: undefined; ReturnType: string; Errors?: undefined },
  { Method: "rollup_getInfo"; Parameters?: undefined; ReturnType: RollupInfo; Errors?: undefined },
  { Method: "rollup_sendOp"; Parameters: [op: SendOpRequest]; ReturnType: SendOpResult; Errors: ErrorsOf<"InvalidParams" | "OpRejected"> },
  {
    Method: "rollup_sendRawOp";
    /** `raw`: the op's optimistic L1 encoding (docs/protocol.md §5). */
    Parameters: [raw: Hex, nonce: number];
    ReturnType: SendOpResult;
    Errors: ErrorsOf<"InvalidParams" | "OpRejected">;
  },
  { Method: "rollup_getAccount"; Parameters: [index: number]; ReturnType: AccountInfo | null; Errors: ErrorsOf<"InvalidParams"> },
  { Method: "rollup_getAccountsByOwner"; Parameters: [owner: Address]; ReturnType: AccountInfo[]; Errors: ErrorsOf<"InvalidParams"> },
  { Method: "rollup_getOp"; Parameters: [hash: Hex]; ReturnType: OpInfo; Errors: ErrorsOf<"InvalidParams" | "NotFound"> },
  { Method: "rollup_getBatch"; Parameters: [index: number]; ReturnType: BatchInfo; Errors: ErrorsOf<"InvalidParams" | "NotFound"> },
  {
    Method: "rollup_getBatches";
    /** From batch `from` (default 0), at most `count` (default 100, at most 1000). */
    Parameters?: [from?: number, count?: number];
    ReturnType: BatchInfo[];
    Errors: ErrorsOf<"InvalidParams">;
  },
  { Method: "rollup_getStatus"; Parameters?: undefined; ReturnType: StatusInfo; Errors?: undefined },
  { Method: "rollup_getWithdrawals"; Parameters: [recipient: Address]; ReturnType: WithdrawalInfo[]; Errors: ErrorsOf<"InvalidParams"> },
  {
    Method: "rollup_encodeOp";
    Parameters: [op: SendOpRequest];
    /** The op's optimistic L1 bytes. */
    ReturnType: Hex;
    Errors: ErrorsOf<"InvalidParams">;
  },
];
