import { JsonRpcError } from "./errors.js";

/**
 * One JSON-RPC call over HTTP (to the L1 node or the L2 sequencer); throws `JsonRpcError` if
 * the node answers with an error.
 *
 * @example
 * const chainId = Number(await jsonRpc("http://127.0.0.1:8545", "eth_chainId"))
 */
export async function jsonRpc(url: string, method: string, params: unknown[] = []): Promise<unknown> {
  const response = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ jsonrpc: "2.0", id: 1, method, params }),
  });
  const body = (await response.json()) as { result?: unknown; error?: { message: string } };
  if (body.error) {
    throw new JsonRpcError(`${method}: ${body.error.message}`, { details: `${url} refused the call: check that it is the node you meant and that it serves ${method}` });
  }
  return body.result;
}
