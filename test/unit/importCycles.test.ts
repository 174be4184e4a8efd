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
 * Each entry is one elementary cycle, starting at its alphabetically first file.
 */
const KNOWN_CYCLES: readonly string[] = [
  // Being removed (commands): the customer-managed-key copy, the permission commands and the share guardrails.
  'src/commands/copyWithCustomerKey.ts → src/commands/permissionCommands.ts → src/commands/shareGuardrails.ts → src/commands/copyWithCustomerKey.ts',
];

/** The same for folders of src/ (a file directly in src/ is its own node): layers must not import each other both ways. */
const KNOWN_FOLDER_CYCLES: readonly string[] = [
  // Being removed: commands/ opens the form (webview/editPermissionsPanel) and the form runs commands/ actions.
  'src/commands/ → src/webview/ → src/commands/',
];

/** Module → the src modules it imports at runtime. */
async function importGraph(): Promise<Map<string, string[]>> {
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
  const graph = new Map<string, string[]>();
  for (const [file, input] of Object.entries(result.metafile.inputs)) {
    if (!file.startsWith('src/')) continue;
    graph.set(
      file,
      input.imports.filter((edge) => !edge.external && edge.path.startsWith('src/')).map((edge) => edge.path),
    );
  }
  return graph;
}

/** Every elementary cycle (Johnson-style search from each start, visiting only later nodes), canonically rotated. */
function elementaryCycles(graph: Map<string, string[]>): string[][] {
  const nodes = [...graph.keys()].sort();
  const order = new Map(nodes.map((node, index) => [node, index]));
  const cycles: string[][] = [];
  for (const start of nodes) {
    const startIndex = order.get(start)!;
    const stack: string[] = [start];
    const onStack = new Set(stack);
    const visit = (node: string) => {
      for (const next of new Set(graph.get(node) ?? [])) {
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
function folderGraph(graph: Map<string, string[]>): Map<string, string[]> {
  const folderOf = (file: string) => {
    const parts = file.split('/');
    return parts.length > 2 ? `${parts[0]}/${parts[1]}/` : file;
  };
  const folders = new Map<string, Set<string>>();
  for (const [file, imports] of graph) {
    const from = folderOf(file);
    const targets = folders.get(from) ?? new Set<string>();
    for (const imported of imports) if (folderOf(imported) !== from) targets.add(folderOf(imported));
    folders.set(from, targets);
  }
  return new Map([...folders].map(([folder, targets]) => [folder, [...targets].sort()]));
}

function describeCycle(cycle: readonly string[]): string {
  return [...cycle, cycle[0]].join(' → ');
}

test('the import graph covers src (sanity check of the graph itself)', async () => {
  const graph = await importGraph();
  assert.ok(graph.has('src/extension.ts') && graph.has('src/tree/explorerModel.ts') && graph.has('src/aws/gateway.ts'), [...graph.keys()].join(', '));
  assert.ok((graph.get('src/extension.ts') ?? []).includes('src/tree/explorerModel.ts'));
  assert.deepEqual(elementaryCycles(new Map([['a', ['b']], ['b', ['c', 'a']], ['c', ['a']]])).map(describeCycle).sort(), ['a → b → a', 'a → b → c → a']);
  assert.deepEqual(folderGraph(new Map([['src/x/a.ts', ['src/x/b.ts', 'src/y/c.ts', 'src/z.ts']], ['src/y/c.ts', []], ['src/z.ts', []]])).get('src/x/'), ['src/y/', 'src/z.ts']);
});

function assertOnlyKnownCycles(graph: Map<string, string[]>, known: readonly string[], listName: string): void {
  const found = elementaryCycles(graph).map(describeCycle);
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
