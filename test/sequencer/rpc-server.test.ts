import { expect } from "chai";
import { request } from "node:http";
import { RPC_MAX_BATCH_REQUESTS, RPC_MAX_BODY_BYTES } from "../../core/index.js";
import { startRpcServer } from "../../sequencer/rpc/server.js";

const MiB = 1024 * 1024;

/** An RPC server with one method that counts its calls. */
async function countingServer() {
  const counter = { calls: 0 };
  const server = await startRpcServer({ eth_chainId: () => (counter.calls++, "0x67932") });
  return { server, counter };
}

const chainIdRequests = (n: number) => Array.from({ length: n }, (_, id) => ({ jsonrpc: "2.0", id, method: "eth_chainId", params: [] }));

async function post(url: string, body: string) {
  const response = await fetch(url, { method: "POST", headers: { "content-type": "application/json" }, body });
  return { status: response.status, json: (await response.json()) as unknown };
}

/**
 * Sends a body of `total` spaces in 1 MiB chunks, minding backpressure, with its length
 * declared (content-length) or not (chunked), and stops writing at the first answer. Resolves
 * once the server has closed the connection: the status, the body, and how much had been
 * written when the answer came.
 */
function sendLargeBody(url: string, total: number, declareLength: boolean): Promise<{ status: number; json: unknown; sentWhenAnswered: number }> {
  return new Promise((resolve, reject) => {
    let sent = 0;
    let answer: { status: number; json: unknown; sentWhenAnswered: number } | undefined;
    let serverClosed = false;
    const finish = (): void => {
      if (answer && serverClosed) {
        req.destroy();
        resolve(answer);
      }
    };
    const headers = { "content-type": "application/json", ...(declareLength ? { "content-length": String(total) } : {}) };
    const req = request(url, { method: "POST", headers }, (res) => {
      const sentWhenAnswered = sent;
      let text = "";
      res.on("data", (chunk: Buffer) => (text += chunk.toString("utf8")));
      res.on("end", () => {
        answer = { status: res.statusCode!, json: JSON.parse(text), sentWhenAnswered };
        finish();
      });
    });
    req.on("socket", (socket) =>
      socket.once("end", () => {
        serverClosed = true;
        finish();
      }),
    );
    req.on("error", reject);
    const chunk = Buffer.alloc(MiB, 0x20);
    const write = (): void => {
      while (!answer && sent < total) {
        sent += chunk.length;
        if (!req.write(chunk)) return void req.once("drain", write);
      }
    };
    write();
  });
}

const BODY_TOO_LARGE = {
  jsonrpc: "2.0",
  id: null,
  error: { code: -32005, message: "request body too large: the limit is 5242880 bytes (5 MiB)", data: { limit: 5242880 } },
};

describe("sequencer/rpc: server limits", () => {
  it("batch_1001Requests_oneLimitExceededErrorAndNoneRun", async () => {
    const { server, counter } = await countingServer();
    try {
      const reply = await post(server.url, JSON.stringify(chainIdRequests(RPC_MAX_BATCH_REQUESTS + 1)));
      expect(reply.status).to.equal(200);
      expect(reply.json).to.deep.equal({
        jsonrpc: "2.0",
        id: null,
        error: { code: -32005, message: "batch too large: 1001 requests, the limit is 1000", data: { limit: 1000 } },
      });
      expect(counter.calls).to.equal(0);
    } finally {
      await server.close();
    }
  });

  it("batch_1000Requests_allServed", async () => {
    const { server, counter } = await countingServer();
    try {
      const reply = await post(server.url, JSON.stringify(chainIdRequests(1000)));
      expect(reply.status).to.equal(200);
      const replies = reply.json as { id: number; result: string }[];
      expect(replies).to.have.length(1000);
      expect(replies.map((r) => r.id)).to.deep.equal(Array.from({ length: 1000 }, (_, id) => id));
      expect(replies.every((r) => r.result === "0x67932")).to.equal(true);
      expect(counter.calls).to.equal(1000);
    } finally {
      await server.close();
    }
  });

  it("body_64MiBDeclared_http413WithJsonRpcErrorThenClosed", async () => {
    const { server, counter } = await countingServer();
    try {
      const reply = await sendLargeBody(server.url, 64 * MiB, true);
      expect([reply.status, reply.json]).to.deep.equal([413, BODY_TOO_LARGE]);
      expect(counter.calls).to.equal(0);
      // The server still serves new connections.
      expect((await post(server.url, JSON.stringify(chainIdRequests(1)[0]))).json).to.deep.equal({ jsonrpc: "2.0", id: 0, result: "0x67932" });
    } finally {
      await server.close();
    }
  });

  it("body_64MiBStreamedWithoutLength_http413WhileReadingThenClosed", async () => {
    const { server, counter } = await countingServer();
    try {
      const reply = await sendLargeBody(server.url, 64 * MiB, false);
      expect([reply.status, reply.json]).to.deep.equal([413, BODY_TOO_LARGE]);
      // The limit is enforced while reading: the answer comes long before the body's end.
      expect(reply.sentWhenAnswered).to.be.lessThan(32 * MiB);
      expect(counter.calls).to.equal(0);
    } finally {
      await server.close();
    }
  });

  it("limits_fullBatchOfLargestSendOps_fitsTheBodyLimit", () => {
    const largestOp = (id: number) => ({
      jsonrpc: "2.0",
      id,
      method: "rollup_sendOp",
      params: [{ fromIdx: 2 ** 24 - 1, toIdx: 2 ** 24 - 1, amount: `${2 ** 35 - 1}${"0".repeat(31)}`, fee: `7${"0".repeat(31)}`, nonce: 2 ** 40 - 1, chainId: 2 ** 32 - 1, signature: `0x${"ab".repeat(64)}` }],
    });
    const bytes = JSON.stringify(Array.from({ length: RPC_MAX_BATCH_REQUESTS }, (_, id) => largestOp(id))).length;
    expect(bytes).to.be.lessThan(400_000);
    expect(bytes).to.be.lessThan(RPC_MAX_BODY_BYTES / 10);
  });

  it("body_exactlyAtTheLimit_served", async () => {
    const { server } = await countingServer();
    try {
      const text = JSON.stringify(chainIdRequests(1)[0]);
      const reply = await post(server.url, text + " ".repeat(RPC_MAX_BODY_BYTES - text.length));
      expect([reply.status, reply.json]).to.deep.equal([200, { jsonrpc: "2.0", id: 0, result: "0x67932" }]);
    } finally {
      await server.close();
    }
  });
});
