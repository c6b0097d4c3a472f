import { expect } from "chai";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, relative, resolve, sep } from "node:path";

/**
 * The import boundaries of ARCHITECTURE.md, checked on every TypeScript and JavaScript file:
 * a test fails when an import crosses a boundary, and says which file and which import.
 */

const root = resolve(import.meta.dirname, "..");
const FOLDERS = ["core", "derive", "sequencer", "prover", "client", "devnet", "dashboard", "scripts", "test"];

/** Every source file under the project's folders (build output and dependencies skipped). */
function sourceFiles(dir: string): string[] {
  const found: string[] = [];
  for (const name of readdirSync(dir)) {
    if (name === "node_modules" || name === "build" || name === "dist" || name.startsWith(".")) continue;
    const path = join(dir, name);
    if (statSync(path).isDirectory()) found.push(...sourceFiles(path));
    else if (/\.(ts|mts|mjs|js)$/.test(name) && !name.endsWith(".d.ts")) found.push(path);
  }
  return found;
}

/** The relative imports of a file (static, re-exports, dynamic, and worker URLs), resolved to project paths. */
function relativeImports(file: string): string[] {
  const text = readFileSync(file, "utf8");
  const specifiers = [
    ...text.matchAll(/(?:^|\n)\s*(?:import|export)\s[^;]*?from\s+["']([^"']+)["']/g),
    ...text.matchAll(/(?:^|\n)\s*import\s+["']([^"']+)["']/g),
    ...text.matchAll(/import\(\s*["']([^"']+)["']\s*\)/g),
    ...text.matchAll(/new URL\(\s*["']([^"']+)["']\s*,\s*import\.meta\.url\s*\)/g),
  ].map((m) => m[1]!);
  return specifiers
    .filter((s) => s.startsWith("."))
    .map((s) => relative(root, resolve(dirname(file), s)).split(sep).join("/"));
}

/** The architectural unit of a project path: its top folder, or finer where ARCHITECTURE.md draws a line. */
function unitOf(path: string): string {
  if (path.startsWith("sequencer/challenger/")) return "challenger";
  if (path === "sequencer/main.ts") return "sequencer-entry";
  if (path === "client/cli.ts" || path === "client/bin.ts") return "client-entry";
  const top = path.split("/")[0]!;
  return FOLDERS.includes(top) ? top : "root";
}

/** What each unit may import besides itself (npm packages are always allowed). */
const ALLOWED: Record<string, readonly string[]> = {
  core: [],
  derive: ["core"],
  sequencer: ["core", "derive"],
  challenger: ["core", "derive"],
  "sequencer-entry": ["core", "derive", "sequencer", "prover"],
  prover: ["core"],
  client: ["core", "derive"],
  "client-entry": ["core", "derive", "client"],
  dashboard: ["core", "client"],
  devnet: ["core", "derive", "sequencer", "sequencer-entry", "challenger", "prover", "client", "client-entry", "dashboard", "root"],
  scripts: ["core", "derive", "sequencer", "challenger", "prover", "client", "client-entry", "devnet", "dashboard", "root"],
  test: FOLDERS.filter((f) => f !== "test").concat(["challenger", "sequencer-entry", "client-entry", "root"]),
};

describe("architecture: import boundaries (ARCHITECTURE.md)", () => {
  const files = FOLDERS.filter((f) => {
    try {
      return statSync(join(root, f)).isDirectory();
    } catch {
      return false;
    }
  }).flatMap((f) => sourceFiles(join(root, f)));
  const edges = files.flatMap((file) => {
    const from = relative(root, file).split(sep).join("/");
    return relativeImports(file).map((to) => ({ from, to, fromUnit: unitOf(from), toUnit: unitOf(to) }));
  });

  it("imports_sourcesScanned_findsTheKnownEdges", () => {
    // The scanner must see real imports, or every rule below would pass vacuously.
    expect(files.length).to.be.greaterThan(100);
    expect(edges.some((e) => e.fromUnit === "sequencer" && e.toUnit === "core")).to.equal(true);
    expect(edges.some((e) => e.fromUnit === "challenger" && e.toUnit === "derive")).to.equal(true);
    expect(unitOf("sequencer/challenger/agent.ts")).to.equal("challenger");
  });

  it("imports_everyEdge_staysWithinItsFloor", () => {
    const crossing = edges
      .filter((e) => e.fromUnit !== e.toUnit && !ALLOWED[e.fromUnit]?.includes(e.toUnit))
      .map((e) => `${e.from} imports ${e.to} (${e.fromUnit} may import ${ALLOWED[e.fromUnit]?.join(", ") || "nothing outside itself"})`);
    expect(crossing).to.deep.equal([]);
  });

  it("imports_test_importedOnlyByTests", () => {
    const intoTest = edges.filter((e) => e.toUnit === "test" && e.fromUnit !== "test").map((e) => `${e.from} imports ${e.to}`);
    expect(intoTest).to.deep.equal([]);
  });

  it("imports_sequencer_neverImportsTheChallengerNorTheChallengerTheSequencer", () => {
    const crossing = edges
      .filter((e) => (e.fromUnit === "sequencer" && e.toUnit === "challenger") || (e.fromUnit === "challenger" && e.toUnit === "sequencer"))
      .map((e) => `${e.from} imports ${e.to}`);
    expect(crossing).to.deep.equal([]);
  });
});
