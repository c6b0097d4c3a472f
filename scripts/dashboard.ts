/**
 * npm run dashboard [-- --l1 URL --l2 URL --beacon URL --port N --from-block N]
 *
 * The live dashboard against any rollup devnet, also one started elsewhere: it reads only the
 * L1 JSON-RPC, the L2 JSON-RPC and the Beacon API (defaults: a local `npm run devnet`, which
 * also serves the dashboard itself on port 8547).
 */
import { parseArgs } from "node:util";
import { startDashboard } from "../dashboard/server.js";

const { values } = parseArgs({
  options: {
    l1: { type: "string", default: "http://127.0.0.1:8545" },
    l2: { type: "string", default: "http://127.0.0.1:8546" },
    beacon: { type: "string", default: "http://127.0.0.1:5052" },
    host: { type: "string", default: "127.0.0.1" },
    port: { type: "string", default: "8548" },
    "from-block": { type: "string", default: "0" },
    help: { type: "boolean", default: false },
  },
});
if (values.help) {
  console.log(`npm run dashboard -- [options]
  --l1 URL          L1 JSON-RPC (http://127.0.0.1:8545)
  --l2 URL          L2 JSON-RPC of the sequencer (http://127.0.0.1:8546)
  --beacon URL      Beacon API serving blob sidecars (http://127.0.0.1:5052)
  --host H          bind address (127.0.0.1)
  --port N          port (8548; a devnet's own dashboard is on 8547)
  --from-block N    first L1 block to read events from (0)`);
  process.exit(0);
}
const dashboard = await startDashboard({
  l1RpcUrl: values.l1,
  l2RpcUrl: values.l2,
  beaconUrl: values.beacon,
  host: values.host,
  port: Number(values.port),
  fromBlock: BigInt(values["from-block"]),
});
console.log(`Dashboard ${dashboard.url}  (L1 ${values.l1}, L2 ${values.l2}, Beacon API ${values.beacon}); Ctrl-C stops it`);
for (const signal of ["SIGINT", "SIGTERM"] as const) process.on(signal, () => void dashboard.close().then(() => process.exit(0)));
