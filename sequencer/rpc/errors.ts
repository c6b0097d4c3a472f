import { BaseError } from "../../core/index.js";

/** JSON-RPC 2.0 error codes used by the L2 RPC. */
export const RpcErrorCode = {
  ParseError: -32700,
  InvalidRequest: -32600,
  MethodNotFound: -32601,
  InvalidParams: -32602,
  Internal: -32603,
  /** The op was well-formed but the sequencer refused it (Ethereum nodes use -32000 for rejected transactions). */
  OpRejected: -32000,
  NotFound: -32001,
} as const;

/** An error the RPC returns to the client as is: code, message and optional data. */
export class RpcError extends BaseError {
  override name = "RpcError";
  readonly code: number;
  readonly data?: unknown;

  constructor(code: number, shortMessage: string, options: { data?: unknown; details?: string } = {}) {
    super(shortMessage, { details: options.details });
    this.code = code;
    this.data = options.data;
  }
}

/** A parameter the client sent is missing or malformed. */
export function invalidParams(message: string): RpcError {
  return new RpcError(RpcErrorCode.InvalidParams, `invalid params: ${message}`);
}
