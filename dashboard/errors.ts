import { BaseError } from "../core/index.js";

/**
 * A source the dashboard reads (the L1 JSON-RPC, the L2 JSON-RPC or the Beacon API) did not
 * give what a view needs; the message names the source and what was asked.
 *
 * @example
 * throw new DashboardSourceError("the Beacon API answered 404 for block 12", { details: "start the dashboard with --beacon URL" })
 */
export class DashboardSourceError extends BaseError {
  override name = "DashboardSourceError";
}
