import { expect } from "chai";
import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync } from "node:fs";
import { createRequire } from "node:module";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { type Hex, parseEther } from "viem";
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";
import { createRollupClient } from "../../client/index.js";
import { InvalidParameterError } from "../../core/index.js";
import { devAccounts } from "../../devnet/accounts.js";
import { readDeploymentFile } from "../../devnet/deployment-file.js";
import { connectL1 } from "../../devnet/l1.js";
import { type Devnet, startDevnet } from "../../devnet/start.js";

const root = resolve(import.meta.dirname, "../..");
/** A shared testnet's chain id: the devnet treats the node as a remote L1, not a development one. */
const TESTNET_CHAIN_ID = 11155111;

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((done) => server.listen(0, "127.0.0.1", done));
  const { port } = server.address() as { port: number };
  await new Promise<void>((done) => server.close(() => done()));
  return port;
}

/** `npx hardhat node`, started on its own as the remote L1 would be. */
async function hardhatNode(chainId: number): Promise<{ url: string; child: ChildProcess }> {
  const port = await freePort();
  const cli = join(dirname(createRequire(import.meta.url).resolve("hardhat/package.json")), "dist/src/cli.js");
  const child = spawn(process.execPath, [cli, "node", "--port", String(port), "--chain-id", String(chainId)], { cwd: root, stdio: ["ignore", "pipe", "pipe"] });
  await new Promise<void>((ready, failed) => {
    let output = "";
    child.stdout!.on("data", (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes("Started HTTP")) ready();
    });
    child.once("exit", (code) => failed(new Error(`hardhat node exited with ${code}: ${output}`)));
  });
  return { url: `http://127.0.0.1:${port}`, child };
}

/** The devnet against a separately started L1 standing in for a shared testnet (docs/testnet.md). */
describe("devnet: --l1-rpc, a deployment file and keys from the environment", function () {
  this.timeout(600_000);
  let node: { url: string; child: ChildProcess };
  let devnet: Devnet | undefined;
  const [operatorKey, challengerKey, userKey] = [generatePrivateKey(), generatePrivateKey(), generatePrivateKey()];

  before(async () => {
    node = await hardhatNode(TESTNET_CHAIN_ID);
    // The node's well-known accounts stand in for a faucet.
    const l1 = await connectL1(node.url);
    const faucet = l1.wallet(devAccounts(1)[0]!.privateKey);
    for (const key of [operatorKey, challengerKey, userKey]) {
      await l1.client.waitForTransactionReceipt({ hash: await faucet.sendTransaction({ to: privateKeyToAccount(key).address, value: parseEther("100") }) });
    }
  });
  afterEach(async () => {
    await devnet?.stop();
    devnet = undefined;
  });
  after(() => {
    node?.child.kill();
  });

  const deployCli = (env: Record<string, string>, deployment: string) =>
    spawnSync(process.execPath, ["--import", "tsx", "scripts/devnet.ts", "deploy", "--l1-rpc", node.url, "--deployment", deployment, "--challenge-window", "60"], {
      cwd: root,
      env: { ...process.env, ...env },
      encoding: "utf8",
    });

  it("deploy_thenStartTwice_attachesToTheSameRollupAndKeepsTheL2", async () => {
    const deployment = join(mkdtempSync(join(tmpdir(), "testnet-")), "deployment.json");
    const deployed = deployCli({ ROLLUP_OPERATOR_KEY: operatorKey }, deployment);
    expect(deployed.status, deployed.stderr).to.equal(0);
    const record = readDeploymentFile(deployment)!;
    expect(record).to.deep.include({ operator: privateKeyToAccount(operatorKey).address.toLowerCase(), l1: { chainId: TESTNET_CHAIN_ID, genesisHash: record.l1.genesisHash } });
    expect(record.parameters).to.deep.include({ challengeWindow: 60, fundedAccounts: 0 });

    const dataDir = mkdtempSync(join(tmpdir(), "testnet-data-"));
    const options = { l1RpcUrl: node.url, dataDir, operatorKey, challengerKey, l2Port: 0, beaconPort: 0, batchIntervalMs: 300 };
    devnet = await startDevnet({ ...options, deployment });
    expect(devnet.info).to.deep.include({ resumed: true, contracts: record.contracts, accounts: [], challengeWindow: 60 });
    expect(devnet.info.operator).to.deep.equal({ address: record.operator });
    const user = () => createRollupClient({ l1RpcUrl: node.url, l2RpcUrl: devnet!.info.l2.rpcUrl, account: userKey, pollingInterval: 50 });
    await user().createAccount({ tokenId: 0, amount: parseEther("1") });
    await user().waitForAccount({ tokenId: 0, timeout: 30_000 });
    const { hash } = await user().withdraw({ amount: parseEther("0.4") });
    const op = await user().waitForOp({ hash, status: "batched", timeout: 30_000 });
    await devnet.stop();

    // Started again on the data folder alone: no deployment, the same rollup, the same L2.
    const l1 = await connectL1(node.url);
    const operatorNonce = await l1.client.getTransactionCount({ address: record.operator });
    devnet = await startDevnet(options);
    expect(devnet.info).to.deep.include({ resumed: true, contracts: record.contracts });
    expect(await l1.client.getTransactionCount({ address: record.operator })).to.equal(operatorNonce);
    expect((await user().findAccount({ tokenId: 0 }))!.balance).to.equal(parseEther("0.6"));
    await devnet.warp(61);
    const before = await l1.client.getBalance({ address: privateKeyToAccount(userKey).address });
    const withdrawal = (await user().getWithdrawals()).find((w) => w.batch === op.batch)!;
    const { l1TxHash } = await user().claimWithdrawal(withdrawal);
    const receipt = await l1.client.getTransactionReceipt({ hash: l1TxHash });
    expect(await l1.client.getBalance({ address: privateKeyToAccount(userKey).address })).to.equal(before + parseEther("0.4") - receipt.gasUsed * receipt.effectiveGasPrice);
  });

  it("deploy_wellKnownKeyOnATestnet_refused", () => {
    const deployment = join(mkdtempSync(join(tmpdir(), "testnet-")), "deployment.json");
    const refused = deployCli({ ROLLUP_OPERATOR_KEY: devAccounts(20)[19]!.privateKey }, deployment);
    expect(refused.status).to.not.equal(0);
    expect(refused.stderr).to.include(`the operator would sign with a well-known development key (${devAccounts(20)[19]!.address.toLowerCase()}) on L1 chain ${TESTNET_CHAIN_ID}`);
    expect(existsSync(deployment)).to.equal(false);
  });

  it("startDevnet_wellKnownKeysOnATestnet_invalidParameterError", async () => {
    const error = await startDevnet({ l1RpcUrl: node.url, l2Port: 0, beaconPort: 0 }).then(
      (started) => started.stop().then(() => undefined),
      (e: unknown) => e,
    );
    expect(error).to.be.instanceOf(InvalidParameterError);
    expect((error as InvalidParameterError).shortMessage).to.match(/^the operator would sign with a well-known development key/);
  });

  it("readKeystore_encryptedByEthers_keyBackOrWrongPasswordRefused", async () => {
    const { encryptKeystoreJsonSync } = await import("ethers");
    const { readKeystore } = await import("../../devnet/keys.js");
    const { writeFileSync } = await import("node:fs");
    const account = privateKeyToAccount(operatorKey);
    const path = join(mkdtempSync(join(tmpdir(), "keystore-")), "operator.json");
    writeFileSync(path, encryptKeystoreJsonSync({ address: account.address, privateKey: operatorKey }, "correct horse", { scrypt: { N: 1024 } }));
    expect(readKeystore(path, "correct horse")).to.deep.equal({ address: account.address.toLowerCase(), privateKey: operatorKey as Hex });
    expect(() => readKeystore(path, "wrong")).to.throw(InvalidParameterError, `wrong password for the keystore ${path}`);
  });
});
