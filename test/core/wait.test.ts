import { expect } from "chai";
import { WaitTimeoutError, waitFor } from "../../core/wait.js";

describe("core waitFor", () => {
  it("waitFor_checkReturnsAValue_returnsTheFirstThatIsNotUndefinedNullOrFalse", async () => {
    const answers = [undefined, null, false, 0, 5];
    let checks = 0;
    expect(await waitFor("a value", () => answers[checks++], { intervalMs: 1 })).to.equal(0);
    expect(checks).to.equal(4);
    expect(await waitFor("a promise", async () => "done")).to.equal("done");
  });

  it("waitFor_neverHolds_throwsWaitTimeoutErrorNamingWhatDidNotHappen", async () => {
    let checks = 0;
    const started = Date.now();
    const error = await waitFor("the game to resolve", () => (checks++, false), { timeoutMs: 50, intervalMs: 10, details: "start the agent" }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).to.be.instanceOf(WaitTimeoutError);
    expect((error as WaitTimeoutError).shortMessage).to.equal("timed out after 0.05 s waiting for the game to resolve");
    expect((error as WaitTimeoutError).details).to.equal("start the agent");
    expect(Date.now() - started).to.be.at.least(45);
    expect(checks).to.be.within(2, 7);
  });
});
