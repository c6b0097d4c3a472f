/** Minimal typings of the untyped snarkjs and ffjavascript entry points the prover uses. */
declare module "snarkjs" {
  /** A Groth16 proof as snarkjs returns it (decimal strings, projective coordinates). */
  export interface Groth16Proof {
    pi_a: string[];
    pi_b: string[][];
    pi_c: string[];
    protocol: string;
    curve: string;
  }
  export interface Logger {
    info(message: string): void;
    debug(message: string): void;
    warn(message: string): void;
    error(message: string): void;
  }
  export const groth16: {
    fullProve(
      input: Record<string, unknown>,
      wasmFile: string,
      zkeyFile: string,
      logger?: Logger,
    ): Promise<{ proof: Groth16Proof; publicSignals: string[] }>;
    prove(zkeyFile: string | { type: "mem"; data: Uint8Array }, witnessFile: string | { type: "mem"; data?: Uint8Array }, logger?: Logger): Promise<{ proof: Groth16Proof; publicSignals: string[] }>;
    verify(verificationKey: object, publicSignals: string[], proof: Groth16Proof, logger?: Logger): Promise<boolean>;
  };
  export const curves: {
    getCurveFromName(name: string, options?: { singleThread?: boolean }): Promise<{ terminate(): Promise<void> }>;
  };
  export const wtns: {
    calculate(input: Record<string, unknown>, wasmFile: string, witnessFile: string | { type: "mem"; data?: Uint8Array }): Promise<void>;
  };
  export const zKey: {
    newZKey(r1csFile: string, ptauFile: string, zkeyFile: string, logger?: Logger): Promise<Uint8Array | number>;
    contribute(oldZkey: string, newZkey: string, name: string, entropy: string, logger?: Logger): Promise<Uint8Array>;
    exportVerificationKey(zkeyFile: string, logger?: Logger): Promise<object>;
    exportSolidityVerifier(zkeyFile: string, templates: { groth16: string }, logger?: Logger): Promise<string>;
  };
}

declare module "ffjavascript" {
  export function buildBn128(singleThread?: boolean): Promise<{ terminate(): Promise<void> } & Record<string, unknown>>;
}
