import { type Account, type Chain, type PublicClient, type Transport, type WalletClient } from "viem";
import { type Address, rollupAbi } from "../../core/index.js";

/**
 * What the sequencer reads from the rollup contract besides posting: how many batches it
 * holds, which are final, whether it is in exodus, and the proposer's bond, which it tops up
 * after a lost dispute.
 *
 * @example
 * const rollup = new L1Rollup(publicClient, walletClient, rollupAddress)
 * await rollup.batchCount() // 3
 * await rollup.isFinal(0) // true once the challenge window has passed
 */
export class L1Rollup {
  constructor(
    private readonly publicClient: PublicClient,
    private readonly walletClient: WalletClient<Transport, Chain, Account>,
    private readonly rollup: Address,
  ) {}

  /** Number of batches the rollup contract holds. */
  async batchCount(): Promise<number> {
    return Number(await this.publicClient.readContract({ address: this.rollup, abi: rollupAbi, functionName: "batchCount" }));
  }

  /** Whether batch `index` is final on L1 (its challenge window has passed, or it was proved). */
  async isFinal(index: number): Promise<boolean> {
    return this.publicClient.readContract({ address: this.rollup, abi: rollupAbi, functionName: "isFinal", args: [BigInt(index)] });
  }

  /** Whether the rollup is in exodus (docs/protocol.md §11): then it takes no batch any more. */
  async exodus(): Promise<boolean> {
    return this.publicClient.readContract({ address: this.rollup, abi: rollupAbi, functionName: "exodus" });
  }

  /**
   * Brings the proposer's bond back up to the rollup's minimum (after a lost dispute slashed
   * it); returns what was added.
   */
  async topUpBond(): Promise<bigint> {
    const read = { address: this.rollup, abi: rollupAbi } as const;
    const [bond, minBond] = await Promise.all([
      this.publicClient.readContract({ ...read, functionName: "bonds", args: [this.walletClient.account.address] }),
      this.publicClient.readContract({ ...read, functionName: "minBond" }),
    ]);
    if (bond >= minBond) return 0n;
    const hash = await this.walletClient.writeContract({ ...read, functionName: "depositBond", value: minBond - bond });
    await this.publicClient.waitForTransactionReceipt({ hash });
    return minBond - bond;
  }
}
