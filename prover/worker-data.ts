/**
 * ffjavascript (under snarkjs) imports `web-worker`, which, loaded in any worker thread, takes
 * the thread for one of its own web workers and reads the module to run from `workerData`.
 * Our workers pass an empty module there, so that the import is harmless; inside them the
 * curve is single-threaded (`buildBn128(true)`), since `web-worker` offers no nested workers.
 */
export const FFJAVASCRIPT_WORKER_DATA = { mod: "data:text/javascript,", type: "module", name: "rollup-prover" } as const;
