/**
 * The dashboard's HTTP server: the page (three local files, no CDN), a Server-Sent Events
 * stream of snapshots pushed whenever the rollup changes, and a small JSON API for the views
 * that look one thing up (a batch, an op, an L1 transaction, a blob batch).
 */
import { readFileSync } from "node:fs";
import { type IncomingMessage, type ServerResponse, createServer } from "node:http";
import { type AddressInfo } from "node:net";
import { join } from "node:path";
import { type Hex } from "viem";
import { readBlobBatch } from "./blob-view.js";
import { RollupObserver, type ObserverSources } from "./observer.js";

const PUBLIC_DIR = join(import.meta.dirname, "public");
const STATIC: Record<string, { file: string; type: string }> = {
  "/": { file: "index.html", type: "text/html; charset=utf-8" },
  "/app.js": { file: "app.js", type: "text/javascript; charset=utf-8" },
  "/style.css": { file: "style.css", type: "text/css; charset=utf-8" },
};

/**
 * Options of {@link startDashboard}.
 *
 * @example
 * const options: DashboardOptions = { l1RpcUrl, l2RpcUrl, beaconUrl, port: 0 }
 */
export interface DashboardOptions extends ObserverSources {
  /** Bind address (default 127.0.0.1). */
  readonly host?: string;
  /** Port (default 8547; 0 picks a free one). */
  readonly port?: number;
  /** Milliseconds between reads of the three endpoints (default 500). */
  readonly pollIntervalMs?: number;
}

/**
 * A running dashboard.
 *
 * @example
 * const { url, close }: Dashboard = await startDashboard({ l1RpcUrl, l2RpcUrl, port: 0 })
 */
export interface Dashboard {
  readonly url: string;
  readonly observer: RollupObserver;
  close(): Promise<void>;
}

const json = (value: unknown): string => JSON.stringify(value, (_key, v: unknown) => (typeof v === "bigint" ? v.toString() : v));

/**
 * Starts the dashboard against a rollup's L1 JSON-RPC, L2 JSON-RPC and Beacon API (the
 * contracts are found through `rollup_getInfo`), and resolves once it serves.
 *
 * @example
 * const dashboard = await startDashboard({ l1RpcUrl: "http://127.0.0.1:8545", l2RpcUrl: "http://127.0.0.1:8546", beaconUrl: "http://127.0.0.1:5052" })
 * console.log(`open ${dashboard.url}`)
 * await dashboard.close()
 */
export async function startDashboard(options: DashboardOptions): Promise<Dashboard> {
  const observer = await RollupObserver.connect(options);
  // A first snapshot if the sources answer; the poll loop keeps trying otherwise.
  await observer.refresh().catch(() => undefined);
  const files = new Map(Object.entries(STATIC).map(([route, { file, type }]) => [route, { body: readFileSync(join(PUBLIC_DIR, file)), type }]));
  const streams = new Set<ServerResponse>();
  let lastSent = "";

  const push = (): void => {
    const snapshot = observer.snapshot;
    if (!snapshot) return;
    const body = json({ ...snapshot, at: 0 });
    if (body === lastSent) return;
    lastSent = body;
    const frame = `data: ${json(snapshot)}\n\n`;
    for (const stream of streams) stream.write(frame);
  };

  let stopped = false;
  let polling: Promise<void> = Promise.resolve();
  const poll = async (): Promise<void> => {
    while (!stopped) {
      try {
        await observer.refresh();
        push();
      } catch {
        // A source that is down (a restarting sequencer, a stopped L1) is read again next time.
      }
      await new Promise((r) => setTimeout(r, options.pollIntervalMs ?? 500));
    }
  };

  const api = async (path: string, query: URLSearchParams): Promise<unknown> => {
    const [, , kind, arg] = path.split("/");
    switch (kind) {
      case "snapshot":
        return observer.snapshot;
      case "batch":
        return (await observer.batch(Number(arg))) ?? null;
      case "op": {
        const op = await observer.l2.request({ method: "rollup_getOp", params: [arg as Hex] }).catch(() => null);
        return op && { op, batch: op.batch === null ? null : await observer.batch(op.batch) };
      }
      case "tx":
        return (await observer.transaction(arg as Hex)) ?? null;
      case "blob": {
        // The posting a one-step proof opened, if any (also one proven wrong since), else the current one.
        const game = observer.snapshot?.games.filter((g) => g.batchIndex === Number(arg) && g.openedElements.length > 0).pop();
        const posting = (game && observer.gamePosting(game.id)) ?? observer.history.current(Number(arg));
        if (!posting || posting.da !== "blobs") return { error: `batch ${arg} is not a blob batch on L1` };
        if (!options.beaconUrl) return { error: "no Beacon API: start the dashboard with --beacon URL" };
        const view = await readBlobBatch(options.beaconUrl, posting, { recordSize: observer.snapshot?.rollup.recordSize ?? 0, openedElements: game?.openedElements ?? [] }).catch((e: unknown) => ({
          error: e instanceof Error ? e.message : String(e),
        }));
        return { ...view, instance: posting.instance, invalidated: posting.invalidated, txHash: posting.txHash };
      }
      case "search": {
        const q = (query.get("q") ?? "").trim();
        if (/^\d+$/.test(q)) return { route: `#/batch/${q}` };
        if (/^0x[0-9a-fA-F]{64}$/.test(q)) {
          const op = await observer.l2.request({ method: "rollup_getOp", params: [q as Hex] }).catch(() => null);
          if (op) return { route: `#/op/${q}` };
          if (await observer.transaction(q as Hex)) return { route: `#/tx/${q}` };
        }
        return { error: `nothing found for "${q}": give a batch index, an L2 op hash or an L1 transaction hash` };
      }
      default:
        return { error: `unknown API ${path}` };
    }
  };

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const url = new URL(req.url ?? "/", "http://dashboard");
    const file = files.get(url.pathname);
    if (file) {
      res.writeHead(200, { "content-type": file.type, "content-length": file.body.length, "cache-control": "no-cache" });
      res.end(file.body);
      return;
    }
    if (url.pathname === "/events") {
      res.writeHead(200, { "content-type": "text/event-stream", "cache-control": "no-cache", connection: "keep-alive" });
      streams.add(res);
      req.on("close", () => streams.delete(res));
      if (observer.snapshot) res.write(`data: ${json(observer.snapshot)}\n\n`);
      return;
    }
    if (url.pathname.startsWith("/api/")) {
      const body = json(await api(url.pathname, url.searchParams));
      res.writeHead(200, { "content-type": "application/json" });
      res.end(body);
      return;
    }
    res.writeHead(404, { "content-type": "text/plain" });
    res.end("not found");
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((e: unknown) => {
      if (!res.headersSent) res.writeHead(500, { "content-type": "application/json" });
      res.end(json({ error: e instanceof Error ? e.message : String(e) }));
    });
  });
  await new Promise<void>((resolve) => server.listen(options.port ?? 8547, options.host ?? "127.0.0.1", resolve));
  const { address, port } = server.address() as AddressInfo;
  polling = poll();
  const keepAlive = setInterval(() => {
    for (const stream of streams) stream.write(": keep-alive\n\n");
  }, 15_000);

  return {
    url: `http://${address}:${port}/`,
    observer,
    async close() {
      stopped = true;
      clearInterval(keepAlive);
      for (const stream of streams) stream.end();
      streams.clear();
      await polling;
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
