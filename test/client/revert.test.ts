import { expect } from "chai";
import { ContractFunctionExecutionError, ContractFunctionRevertedError, encodeErrorResult, type Hex } from "viem";
import { bridgeAbi } from "../../core/index.js";
import { ContractRevertError, L1RequestError, toL1Error } from "../../client/index.js";

function reverted(data: Hex): ContractFunctionExecutionError {
  const cause = new ContractFunctionRevertedError({ abi: bridgeAbi, data, functionName: "forcedExit" });
  return new ContractFunctionExecutionError(cause, { abi: bridgeAbi, functionName: "forcedExit", args: [2] });
}

describe("client L1 errors", () => {
  it("toL1Error_customError_namesErrorArgumentsAndMeaning", () => {
    const e = toL1Error(reverted(encodeErrorResult({ abi: bridgeAbi, errorName: "BatchNotFinal", args: [3n] })));
    expect(e).to.be.instanceOf(ContractRevertError);
    const revert = e as ContractRevertError;
    expect(revert.shortMessage).to.equal("BatchNotFinal(batchIndex: 3): the batch is still in its challenge window");
    expect(revert.errorName).to.equal("BatchNotFinal");
    expect(revert.args).to.deep.equal({ batchIndex: 3n });
    expect(revert.details).to.contain("warp");
  });

  it("toL1Error_multipleArguments_listsThemInOrder", () => {
    const e = toL1Error(reverted(encodeErrorResult({ abi: bridgeAbi, errorName: "IncorrectEthValue", args: [1n, 2n] })));
    expect(e.shortMessage).to.match(/^IncorrectEthValue\(sent: 1, expected: 2\): /);
  });

  it("toL1Error_undecodableOrNoRevert_keepsViemMessage", () => {
    const unknown = toL1Error(reverted("0xdeadbeef"));
    expect(unknown).to.be.instanceOf(ContractRevertError);
    expect(unknown.shortMessage).to.contain("0xdeadbeef");
    const other = toL1Error(new ContractFunctionExecutionError(new Error("connection refused") as never, { abi: bridgeAbi, functionName: "forcedExit", args: [2] }));
    expect(other).to.be.instanceOf(L1RequestError);
  });
});
