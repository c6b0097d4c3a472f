import { expect } from "chai";
import { readFileSync } from "node:fs";
import { formatAbiItem } from "viem/utils";
import { type Abi, type AbiItem } from "viem";
import { bridgeAbi, rollupAbi, erc20Abi, disputeGameAbi, oneStepProverAbi } from "../../core/index.js";

function artifactAbi(source: string, name: string): Abi {
  return JSON.parse(readFileSync(`artifacts/${source}/${name}.json`, "utf8")).abi as Abi;
}

function signatures(abi: readonly AbiItem[]): Set<string> {
  return new Set(abi.filter((i) => i.type === "function" || i.type === "event" || i.type === "error").map((i) => formatAbiItem(i as never)));
}

/** core/l1-abi.ts mirrors the contracts by hand (for viem's types): every item must exist, identically, in the compiled ABI. */
describe("core/l1-abi.ts mirrors the compiled contracts", () => {
  const cases: [string, readonly AbiItem[], string, string][] = [
    ["Bridge", bridgeAbi, "contracts/L1/Bridge.sol", "Bridge"],
    ["Rollup", rollupAbi, "contracts/L1/Rollup.sol", "Rollup"],
    ["TestERC20", erc20Abi, "contracts/test/TestERC20.sol", "TestERC20"],
    ["DisputeGame", disputeGameAbi, "contracts/dispute/DisputeGame.sol", "DisputeGame"],
    ["OneStepProver", oneStepProverAbi, "contracts/dispute/OneStepProver.sol", "OneStepProver"],
  ];
  for (const [name, mirror, source, contract] of cases) {
    it(`${name}_everyMirroredItem_existsInArtifact`, () => {
      const compiled = signatures(artifactAbi(source, contract));
      const missing = [...signatures(mirror)].filter((s) => !compiled.has(s));
      expect(missing).to.deep.equal([]);
    });
  }

  // What the mirror leaves out on purpose: OpenZeppelin's own items, the hashers' addresses
  // and the hooks only the dispute game calls. Anything else the contracts gain must be mirrored.
  const unmirrored = new Set([
    "ReentrancyGuardReentrantCall()",
    "SafeERC20FailedOperation(address)",
    "AccessControlBadConfirmation()",
    "AccessControlUnauthorizedAccount(address,bytes32)",
    "RoleAdminChanged(bytes32,bytes32,bytes32)",
    "RoleGranted(bytes32,address,address)",
    "RoleRevoked(bytes32,address,address)",
    "getRoleAdmin(bytes32)",
    "renounceRole(bytes32,address)",
    "supportsInterface(bytes4)",
    "poseidonT3()",
    "poseidonT6()",
    "poseidonT9()",
    "gameOpened(uint256)",
    "gameClosed(uint256,uint256)",
    "invalidateFrom(uint256)",
    "slash(address,address,uint256)",
  ]);
  for (const [name, mirror, source, contract] of cases.filter(([name]) => ["Bridge", "Rollup", "DisputeGame"].includes(name))) {
    it(`${name}_everyArtifactItem_isMirrored`, () => {
      const mirrored = signatures(mirror);
      const missing = [...signatures(artifactAbi(source, contract))].filter((s) => !mirrored.has(s) && !unmirrored.has(s));
      expect(missing).to.deep.equal([]);
    });
  }
});
