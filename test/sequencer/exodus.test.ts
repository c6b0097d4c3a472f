import { expect } from "chai";
import { ExodusWatch } from "../../sequencer/exodus.js";

/** The sequencer's exodus watch (sequencer/exodus.ts): settlement stops once, one line says why. */
describe("sequencer: exodus watch", () => {
  it("check_rollupEntersExodus_stopsSettlementOnceAndLogsOneLine", async () => {
    let exodus = false;
    let stops = 0;
    let reads = 0;
    const lines: string[] = [];
    const watch = new ExodusWatch({
      rollup: { exodus: async () => (reads++, exodus) },
      stopSettlement: async () => void stops++,
      log: (line) => lines.push(line),
    });

    expect(await watch.check()).to.equal(false);
    expect(watch.active).to.equal(false);
    expect(stops).to.equal(0);

    exodus = true;
    expect(await watch.check()).to.equal(true);
    expect(await watch.check()).to.equal(true);
    expect(watch.active).to.equal(true);
    expect(stops).to.equal(1);
    expect(lines).to.have.length(1);
    expect(lines[0]).to.match(/^the rollup is in EXODUS on L1: .*stops posting and proving and refuses ops/);
    // Once in exodus (for good), L1 is not read again.
    expect(reads).to.equal(2);
  });
});
