import { expect } from "chai";
import { spawnSync, type SpawnSyncReturns } from "node:child_process";
import { cpSync, mkdtempSync, readFileSync, readdirSync, realpathSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";

const root = resolve(import.meta.dirname, "../..");

function run(command: string, args: readonly string[], cwd: string, timeoutMs: number): SpawnSyncReturns<string> {
  const result = spawnSync(command, args, { cwd, encoding: "utf8", timeout: timeoutMs, maxBuffer: 64 << 20 });
  if (result.status !== 0) {
    throw new Error(`${command} ${args.join(" ")} in ${cwd} exited with ${result.status ?? result.signal}\n${result.stdout}\n${result.stderr}`);
  }
  return result;
}

/** The tarball under test: ROLLUP_DEVNET_TARBALL (CI packs once for this and the example), else packed here. */
function tarball(): string {
  if (process.env.ROLLUP_DEVNET_TARBALL) return resolve(process.env.ROLLUP_DEVNET_TARBALL);
  const out = mkdtempSync(join(tmpdir(), "rollup-devnet-pack-"));
  run("npm", ["pack", "--silent", "--pack-destination", out], root, 900_000);
  return join(out, readdirSync(out).find((f) => f.endsWith(".tgz"))!);
}

/**
 * The package as another project gets it: packed, installed into a copy of examples/consumer
 * (an empty ESM project but for its own test tools), and used from that project's plain
 * JavaScript and TypeScript, with no tsx and no checkout. (.ci/run runs the example's mocha
 * suite the same way.)
 */
describe("package: installed into another project", function () {
  this.timeout(1_800_000);
  let project: string;
  let packed: string;

  before(() => {
    packed = tarball();
    project = mkdtempSync(join(tmpdir(), "rollup-devnet-consumer-"));
    cpSync(join(root, "examples/consumer"), project, { recursive: true });
    const manifest = JSON.parse(readFileSync(join(project, "package.json"), "utf8")) as { dependencies: Record<string, string> };
    manifest.dependencies["rollup-devnet"] = `file:${packed}`;
    writeFileSync(join(project, "package.json"), JSON.stringify(manifest, null, 2));
    run("npm", ["install", "--no-audit", "--no-fund", "--prefer-offline"], project, 1_200_000);
  });

  it("tarball_packed_carriesDistAndNoSources", () => {
    const listing = run("tar", ["-tzf", packed], project, 60_000).stdout.split("\n");
    expect(listing).to.include.members(["package/dist/devnet/index.js", "package/dist/devnet/index.d.ts", "package/dist/client/index.js", "package/dist/scripts/devnet.js", "package/dist/artifacts/contracts/L1/Rollup.sol/Rollup.json", "package/dist/dashboard/server.js", "package/dist/dashboard/public/index.html", "package/dist/prover/prove-process.js"]);
    expect(listing.filter((f) => /\.ts$/.test(f) && !f.endsWith(".d.ts"))).to.deep.equal([]);
    expect(listing.filter((f) => f.startsWith("package/test/") || f.startsWith("package/contracts/"))).to.deep.equal([]);
    expect(statSync(packed).size).to.be.lessThan(5_000_000);
  });

  it("npxRollupDevnet_help_listsTheDevnetsFlagsAndCommands", () => {
    const help = run("npx", ["--no-install", "rollup-devnet", "--help"], project, 120_000).stdout;
    expect(help).to.include("usage: rollup-devnet [start] [options]").and.include("--data-dir DIR").and.include("rollup-devnet deploy");
    expect(run("npx", ["--no-install", "rollup-client", "--help"], project, 120_000).stdout).to.include("usage: rollup [options] <command>");
  });

  it("consumerJavaScript_startsADevnet_movesEthL1ToL2AndBack", () => {
    const { stdout } = run(process.execPath, ["roundtrip.mjs"], project, 600_000);
    const result = JSON.parse(stdout.trim().split("\n").at(-1)!) as { l2: string; claimed: string; resolved: string };
    expect(result).to.deep.equal({ l2: "0.5", claimed: "1", resolved: `file://${join(realpathSync(project), "node_modules/rollup-devnet/dist/devnet/index.js")}` });
  });

  it("consumerTypeScript_typesOfBothEntryPoints_checkWithoutSkipLibCheck", () => {
    run("npm", ["run", "--silent", "typecheck"], project, 300_000);
  });
});
