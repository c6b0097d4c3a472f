/**
 * The rollup client: what users import to use the devnet. Actions in viem's style (one per
 * file, `action(clients, parameters)`), `createRollupClient` binding them to one account,
 * the L2 JSON-RPC client, the errors they throw, and amount helpers.
 */
export { createL2Client, type CreateL2ClientOptions, type L2Client } from "./l2.js";
export { createRollupClient, type CreateRollupClientParameters, type RollupClient } from "./createRollupClient.js";
export { rollupActions, type RollupActions, type RollupClientBase } from "./decorators.js";
export * from "./errors.js";
export * from "./types.js";
export { parseTokenAmount, formatTokenAmount, TOKEN_DECIMALS } from "./utils/amounts.js";
export { encodeOpAmounts } from "./utils/floats.js";
export { signOp, type SignOpParameters, type SignOpReturnType } from "./utils/signOp.js";
export { toL1Error } from "./utils/revert.js";

export * from "./actions/activateExodus.js";
export * from "./actions/claimWithdrawal.js";
export * from "./actions/createAccount.js";
export * from "./actions/deposit.js";
export * from "./actions/deriveL2Key.js";
export * from "./actions/exodusWithdraw.js";
export * from "./actions/findAccount.js";
export * from "./actions/forcedExit.js";
export * from "./actions/getAccount.js";
export * from "./actions/getAccountsByOwner.js";
export * from "./actions/getBatch.js";
export * from "./actions/getExodusStatus.js";
export * from "./actions/getOp.js";
export * from "./actions/getRollupInfo.js";
export * from "./actions/getRollupStatus.js";
export * from "./actions/getTokenId.js";
export * from "./actions/getWithdrawalStatus.js";
export * from "./actions/getWithdrawals.js";
export * from "./actions/refundDeposit.js";
export * from "./actions/registerToken.js";
export * from "./actions/transfer.js";
export * from "./actions/waitForAccount.js";
export * from "./actions/waitForOp.js";
export * from "./actions/withdraw.js";
