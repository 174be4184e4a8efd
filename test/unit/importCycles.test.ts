import assert from 'node:assert/strict';
import * as path from 'node:path';
import { test } from 'node:test';
import * as esbuild from 'esbuild';

/**
 * No import cycles in src/: the runtime import graph of src/**\/*.ts, as esbuild sees it when bundling the two
 * entry points (type-only imports are erased, as in the real bundle), must have no cycle. A cycle means
 * some module is used before it finished loading, depending on which file happened to be imported first.
 */

const ROOT = path.resolve(__dirname, '..', '..', '..');
const ENTRY_POINTS = ['src/extension.ts', 'src/aws/index.ts'];

/**
 * Cycles that exist today outside the tree and are being removed. This list must only shrink, to empty:
 * a new cycle fails the test, and so does an entry here that no longer exists (delete it).
 * Each entry is one elementary cycle, starting at its alphabetically first file; ` ⇢ ` is a lazy edge
 * (`await import(…)`), which avoids the load-order problem but is still a dependency both ways.
 * (When this test was written: copyWithCustomerKey → permissionCommands → shareGuardrails → copyWithCustomerKey
 * in src/commands, and src/commands/ ⇄ src/webview/; both were removed by the change pipeline in src/actions.)
 */
const KNOWN_CYCLES: readonly string[] = [
];

/** The same for folders of src/ (a file directly in src/ is its own node): layers must not import each other both ways. */
const KNOWN_FOLDER_CYCLES: readonly string[] = [];

type Graph = Map<string, Map<string, 'static' | 'lazy'>>;

/** Module → the src modules it imports at runtime, each edge static or lazy (`import()`). */
async function importGraph(): Promise<Graph> {
  const result = await esbuild.build({
    absWorkingDir: ROOT,
    entryPoints: ENTRY_POINTS,
    bundle: true,
    write: false,
    metafile: true,
    platform: 'node',
    format: 'cjs',
    outdir: 'out/import-graph',
    logLevel: 'silent',
    external: ['vscode'],
    plugins: [
      {
        name: 'packages-external',
        setup(build) {
          // Bare specifiers (node_modules packages, node: built-ins) are not ours: leave them out of the graph.
          build.onResolve({ filter: /^[^./]/ }, (args) => ({ path: args.path, external: true }));
        },
      },
    ],
  });
  const graph: Graph = new Map();
  for (const [file, input] of Object.entries(result.metafile.inputs)) {
    if (!file.startsWith('src/')) continue;
    const edges = new Map<string, 'static' | 'lazy'>();
    for (const edge of input.imports) {
      if (edge.external || !edge.path.startsWith('src/')) continue;
      if (edge.kind !== 'dynamic-import' || !edges.has(edge.path)) edges.set(edge.path, edge.kind === 'dynamic-import' ? 'lazy' : 'static');
    }
    graph.set(file, edges);
  }
  return graph;
}

/** Every elementary cycle (Johnson-style search from each start, visiting only later nodes), canonically rotated. */
function elementaryCycles(graph: Graph): string[][] {
  const nodes = [...graph.keys()].sort();
  const order = new Map(nodes.map((node, index) => [node, index]));
  const cycles: string[][] = [];
  for (const start of nodes) {
    const startIndex = order.get(start)!;
    const stack: string[] = [start];
    const onStack = new Set(stack);
    const visit = (node: string) => {
      for (const next of graph.get(node)?.keys() ?? []) {
        if (next === start) cycles.push([...stack]);
        else if ((order.get(next) ?? -1) > startIndex && !onStack.has(next)) {
          stack.push(next);
          onStack.add(next);
          visit(next);
          stack.pop();
          onStack.delete(next);
        }
      }
    };
    visit(start);
  }
  return cycles;
}

/** The graph between folders of src/ (src/commands/, src/tree/, …; a file directly in src/ stands for itself). */
function folderGraph(graph: Graph): Graph {
  const folderOf = (file: string) => {
    const parts = file.split('/');
    return parts.length > 2 ? `${parts[0]}/${parts[1]}/` : file;
  };
  const folders: Graph = new Map();
  for (const [file, imports] of graph) {
    const from = folderOf(file);
    const edges = folders.get(from) ?? new Map<string, 'static' | 'lazy'>();
    for (const [imported, kind] of imports) {
      const to = folderOf(imported);
      if (to !== from && edges.get(to) !== 'static') edges.set(to, kind);
    }
    folders.set(from, edges);
  }
  return folders;
}

function describeCycle(graph: Graph, cycle: readonly string[]): string {
  return cycle.map((from, index) => `${from}${graph.get(from)?.get(cycle[(index + 1) % cycle.length]!) === 'lazy' ? ' ⇢ ' : ' → '}`).join('') + cycle[0];
}

function graphOf(edges: Record<string, string[]>): Graph {
  return new Map(Object.entries(edges).map(([from, to]) => [from, new Map(to.map((target) => [target, 'static' as const]))]));
}

test('the import graph covers src (sanity check of the graph itself)', async () => {
  const graph = await importGraph();
  assert.ok(graph.has('src/extension.ts') && graph.has('src/tree/explorerModel.ts') && graph.has('src/aws/gateway.ts'), [...graph.keys()].join(', '));
  assert.equal(graph.get('src/extension.ts')?.get('src/tree/explorerModel.ts'), 'static');
  const sample = graphOf({ a: ['b'], b: ['c', 'a'], c: ['a'] });
  assert.deepEqual(elementaryCycles(sample).map((cycle) => describeCycle(sample, cycle)).sort(), ['a → b → a', 'a → b → c → a']);
  sample.get('a')!.set('b', 'lazy');
  assert.deepEqual(elementaryCycles(sample).map((cycle) => describeCycle(sample, cycle)).sort(), ['a ⇢ b → a', 'a ⇢ b → c → a']);
  assert.deepEqual([...(folderGraph(graphOf({ 'src/x/a.ts': ['src/x/b.ts', 'src/y/c.ts', 'src/z.ts'], 'src/y/c.ts': [], 'src/z.ts': [] })).get('src/x/')?.keys() ?? [])], ['src/y/', 'src/z.ts']);
});

function assertOnlyKnownCycles(graph: Graph, known: readonly string[], listName: string): void {
  const found = elementaryCycles(graph).map((cycle) => describeCycle(graph, cycle));
  const unexpected = found.filter((cycle) => !known.includes(cycle));
  const gone = known.filter((cycle) => !found.includes(cycle));
  assert.deepEqual(unexpected, [], `import cycles:\n  ${unexpected.join('\n  ')}`);
  assert.deepEqual(gone, [], `these known cycles are gone: remove them from ${listName}\n  ${gone.join('\n  ')}`);
}

test('no import cycles between files of src/ beyond the known ones being removed', async () => {
  assertOnlyKnownCycles(await importGraph(), KNOWN_CYCLES, 'KNOWN_CYCLES');
});

test('no import cycles between folders of src/ beyond the known ones being removed', async () => {
  assertOnlyKnownCycles(folderGraph(await importGraph()), KNOWN_FOLDER_CYCLES, 'KNOWN_FOLDER_CYCLES');
});
