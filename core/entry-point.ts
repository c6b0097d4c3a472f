/**
 * `entryPoint`: where the module a worker thread or a child process starts from is, and the
 * Node flags it needs. The same code runs from the sources (under tsx, files end in `.ts`) and
 * from the compiled package (`dist/`, files end in `.js`, no tsx installed). Like `wait.ts` it
 * stays out of `core/index.ts`: it is about how the code runs, not about the protocol.
 */

/**
 * A module to start a worker thread or a child process from.
 *
 * @example
 * const { url, execArgv }: EntryPoint = entryPoint(import.meta.url, "./builder-worker")
 */
export interface EntryPoint {
  readonly url: URL;
  /** `--import <tsx>` when the caller runs from the sources, nothing when compiled. */
  readonly execArgv: string[];
}

/**
 * The module `name` (relative, without extension) next to the caller whose `import.meta.url`
 * is `base`, with the flags that let Node load it: a `.ts` caller gets `<name>.ts` through
 * tsx (resolved from here, whatever the working folder), a `.js` caller gets `<name>.js`.
 *
 * @example
 * const { url, execArgv } = entryPoint(import.meta.url, "./builder-worker")
 * new Worker(url, { execArgv, workerData })
 */
export function entryPoint(base: string, name: string): EntryPoint {
  if (base.endsWith(".ts")) return { url: new URL(`${name}.ts`, base), execArgv: ["--import", import.meta.resolve("tsx")] };
  return { url: new URL(`${name}.js`, base), execArgv: [] };
}
