import { expect } from "chai";
import { network } from "hardhat";
const { ethers } = await network.connect();
describe("Smoke", () => {
  it("f_zero_reverts", async () => {
    const s = await ethers.deployContract("Smoke");
    await expect(s.f(0)).to.be.revertedWithCustomError(s, "Nope").withArgs(0);
    expect(await s.f(1)).to.equal(2n);
  });
});
