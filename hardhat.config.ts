import { createRequire } from "node:module";
import { defineConfig } from "hardhat/config";
import hardhatEthers from "@nomicfoundation/hardhat-ethers";
import hardhatEthersChaiMatchers from "@nomicfoundation/hardhat-ethers-chai-matchers";
import hardhatMocha from "@nomicfoundation/hardhat-mocha";
import hardhatNetworkHelpers from "@nomicfoundation/hardhat-network-helpers";

// No compiler is downloaded at build time: Solidity is compiled by the npm `solc` package.
const soljson = createRequire(import.meta.url).resolve("solc/soljson.js");

export default defineConfig({
  plugins: [hardhatEthers, hardhatEthersChaiMatchers, hardhatMocha, hardhatNetworkHelpers],
  solidity: {
    version: "0.8.37",
    path: soljson,
    settings: { optimizer: { enabled: true, runs: 200 }, evmVersion: "prague" },
  },
  paths: { tests: { mocha: "test" } },
  test: { mocha: { timeout: 120_000 } },
});
