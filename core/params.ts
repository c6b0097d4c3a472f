import { InvalidParameterError } from "./errors.js";

/** Children per node of every Poseidon tree (docs/protocol.md §1). */
export const ARITY = 8;
/** Fee tokens a batch may name. */
export const FEE_SLOTS = 4;
/** Marks an unused fee slot. */
export const NO_TOKEN = 2 ** 32 - 1;
/** Depth of a batch's withdrawal tree. */
export const WITHDRAWAL_LEVELS = 5;
/** Positions in a batch's withdrawal tree. */
export const WITHDRAWAL_POSITIONS = ARITY ** WITHDRAWAL_LEVELS;
/** Queue ops plus L2 ops in one batch. */
export const MAX_BATCH_OPS = WITHDRAWAL_POSITIONS - FEE_SLOTS;
/** Largest balance of an account and largest queue amount. */
export const MAX_BALANCE = (1n << 128n) - 1n;
/** Largest nonce; an account at this nonce can send no more L2 ops. */
export const MAX_NONCE = 2 ** 40 - 1;
/** The null account index: never holds an account. */
export const NULL_INDEX = 0;
/** The exit index: an L2 op to it is a withdrawal to the sender's L1 address. */
export const EXIT_INDEX = 1;
/** Index of the first account created. */
export const FIRST_ACCOUNT_INDEX = 2;
/** Default depth of the account tree: 8 levels of 8 = 2^24 accounts. */
export const DEFAULT_LEVELS = 8;

/** Deployment parameters of one rollup. */
export interface ProtocolParams {
  /** Depth of the 8-ary account tree (1..10). */
  readonly levels: number;
}

/** Parameters plus the values derived from them. */
export interface ResolvedParams extends ProtocolParams {
  /** Number of account leaves, 8^levels. */
  readonly capacity: number;
  /** Bytes of an account index on L1, ceil(3·levels / 8). */
  readonly idxBytes: number;
  /** Bytes of one L2 op on L1 in optimistic mode (signature included). */
  readonly optimisticOpBytes: number;
  /** Bytes of one L2 op on L1 in ZK mode (no signature). */
  readonly zkOpBytes: number;
}

/**
 * Checks the parameters and derives sizes from them.
 *
 * @example
 * resolveParams({ levels: 8 }).idxBytes // 3
 */
export function resolveParams(params: ProtocolParams = { levels: DEFAULT_LEVELS }): ResolvedParams {
  const { levels } = params;
  if (!Number.isInteger(levels) || levels < 1 || levels > 10) {
    throw new InvalidParameterError(`levels must be an integer from 1 to 10, got ${levels}`);
  }
  const idxBytes = Math.ceil((3 * levels) / 8);
  const zkOpBytes = 2 * idxBytes + 6;
  return { levels, capacity: ARITY ** levels, idxBytes, zkOpBytes, optimisticOpBytes: zkOpBytes + 64 };
}
