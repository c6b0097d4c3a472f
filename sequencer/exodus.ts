/**
 * The sequencer in exodus (docs/protocol.md §11): once anyone has switched the rollup into
 * exodus, no batch can be appended again, so the sequencer stops posting and proving, says so
 * once, and its RPC refuses ops (users leave on L1: docs/exodus.md).
 */
import { type L1Rollup } from "./l1/rollup.js";

/**
 * What `ExodusWatch` needs.
 *
 * @example
 * const parameters: ExodusWatchParameters = { rollup, stopSettlement: () => settlement.stop(), log: console.log }
 */
export interface ExodusWatchParameters {
  readonly rollup: Pick<L1Rollup, "exodus">;
  /** Stops posting (and proving) for good; called once. */
  readonly stopSettlement: () => Promise<void>;
  readonly log: (line: string) => void;
}

/**
 * Watches the rollup for the exodus: `check` each poll (and before the first post); from the
 * first time it sees the exodus, `active` is true, settlement is stopped and one line logged.
 *
 * @example
 * const exodus = new ExodusWatch({ rollup, stopSettlement: () => settlement.stop(), log })
 * if (!(await exodus.check())) await settlement.post()
 * exodus.active // the RPC refuses ops when true
 */
export class ExodusWatch {
  private activated = false;

  constructor(private readonly parameters: ExodusWatchParameters) {}

  /** Whether the rollup was seen in exodus (it never leaves it). */
  get active(): boolean {
    return this.activated;
  }

  /** Reads L1; on the first sight of the exodus, stops settlement and logs it. Resolves to `active`. */
  async check(): Promise<boolean> {
    if (this.activated) return true;
    if (!(await this.parameters.rollup.exodus())) return false;
    this.activated = true;
    this.parameters.log(
      "the rollup is in EXODUS on L1: it takes no more batches, so this sequencer stops posting and proving and refuses ops; users take their balances of the last final state out on L1 (docs/exodus.md)",
    );
    await this.parameters.stopSettlement();
    return true;
  }
}
