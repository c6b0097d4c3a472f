/**
 * snarkjs keeps one multi-threaded BN254 curve in `globalThis.curve_bn128`, whose worker threads
 * keep the process alive. Helpers that use snarkjs for a one-off call release the curve when
 * they were the ones to start it.
 */
interface CurveHolder {
  curve_bn128?: { terminate(): Promise<void> } | null;
}

/**
 * Runs `fn`, then terminates snarkjs' shared curve if `fn` started it.
 *
 * @example
 * const vkey = await withSnarkjsCurve(() => snarkjs.zKey.exportVerificationKey(zkey))
 */
export async function withSnarkjsCurve<T>(fn: () => Promise<T>): Promise<T> {
  const holder = globalThis as CurveHolder;
  const hadCurve = Boolean(holder.curve_bn128);
  try {
    return await fn();
  } finally {
    if (!hadCurve) await holder.curve_bn128?.terminate();
  }
}

/**
 * Terminates snarkjs' shared curve, if any (e.g. after `snarkjs.groth16.verify` in a test).
 *
 * @example
 * after(releaseSnarkjsCurve)
 */
export async function releaseSnarkjsCurve(): Promise<void> {
  await (globalThis as CurveHolder).curve_bn128?.terminate();
}
