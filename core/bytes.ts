import { MalformedDataError, ValueOutOfRangeError } from "./errors.js";

/** An L1 address as viem writes it. */
export type Address = `0x${string}`;
/** A hex string. */
export type Hex = `0x${string}`;

/** Writes `value` big-endian into `out` at `offset` using exactly `size` bytes. */
export function writeUint(out: Uint8Array, offset: number, size: number, value: bigint | number): void {
  let v = BigInt(value);
  if (v < 0n || v >> BigInt(8 * size) !== 0n) {
    throw new ValueOutOfRangeError(`value ${v} does not fit in ${size} bytes`);
  }
  for (let i = offset + size - 1; i >= offset; i--) {
    out[i] = Number(v & 0xffn);
    v >>= 8n;
  }
}

/** Reads `size` bytes big-endian from `data` at `offset`. */
export function readUint(data: Uint8Array, offset: number, size: number): bigint {
  let v = 0n;
  for (let i = offset; i < offset + size; i++) v = (v << 8n) | BigInt(data[i]!);
  return v;
}

/** Reads up to 6 bytes big-endian as a JS number. */
export function readSmallUint(data: Uint8Array, offset: number, size: number): number {
  let v = 0;
  for (let i = offset; i < offset + size; i++) v = v * 256 + data[i]!;
  return v;
}

/** Big-endian 32-byte encoding of a 256-bit value. */
export function toBytes32(value: bigint): Uint8Array {
  const out = new Uint8Array(32);
  writeUint(out, 0, 32, value);
  return out;
}

/** Lower-case hex of bytes, with 0x. */
export function bytesToHex(bytes: Uint8Array): Hex {
  return `0x${Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("hex")}`;
}

/** Bytes of a 0x-prefixed hex string; throws on odd length or non-hex characters. */
export function hexToBytes(hex: string): Uint8Array {
  if (!/^0x([0-9a-fA-F]{2})*$/.test(hex)) {
    throw new MalformedDataError(`not a 0x-prefixed hex string of whole bytes: ${hex.slice(0, 42)}`);
  }
  return new Uint8Array(Buffer.from(hex.slice(2), "hex"));
}

/** An address as a 160-bit integer; throws unless it is 20 bytes of hex. */
export function addressToBigInt(address: string): bigint {
  if (!/^0x[0-9a-fA-F]{40}$/.test(address)) {
    throw new MalformedDataError(`not an L1 address (0x and 40 hex digits): ${address}`);
  }
  return BigInt(address);
}

/** A 160-bit integer as a lower-case address. */
export function bigIntToAddress(value: bigint): Address {
  if (value < 0n || value >> 160n !== 0n) throw new ValueOutOfRangeError(`not a 160-bit address: ${value}`);
  return `0x${value.toString(16).padStart(40, "0")}`;
}
