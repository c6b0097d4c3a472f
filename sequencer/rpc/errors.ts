import { BaseError, type RpcErrorData, RpcErrorCode } from "../../core/index.js";

/**
 * An error the RPC returns to the client as is: a code of the schema's `RpcErrorCode`, the
 * message, and the `data` that code carries (core/rpc-schema.ts).
 *
 * @example
 * throw new RpcError(RpcErrorCode.NotFound, `no op with hash ${hash}`)
 * throw new RpcError(RpcErrorCode.OpRejected, "insufficient balance", { data: { reason: "InsufficientBalance", details: null } })
 */
export class RpcError<code extends RpcErrorCode = RpcErrorCode> extends BaseError {
  override name = "RpcError";
  readonly code: code;
  readonly data?: RpcErrorData<code>;

  constructor(code: code, shortMessage: string, options: { data?: RpcErrorData<code>; details?: string } = {}) {
    super(shortMessage, { details: options.details });
    this.code = code;
    this.data = options.data;
  }
}

/**
 * A parameter the client sent is missing or malformed (-32602).
 *
 * @example
 * if (typeof hash !== "string") throw invalidParams("hash must be a 0x-hex string")
 */
export function invalidParams(message: string): RpcError<typeof RpcErrorCode.InvalidParams> {
  return new RpcError(RpcErrorCode.InvalidParams, `invalid params: ${message}`);
}
