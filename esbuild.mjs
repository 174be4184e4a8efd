import * as esbuild from 'esbuild';
import { copyFile, mkdir, rm } from 'node:fs/promises';

const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');

const common = {
  bundle: true,
  minify: production,
  sourcemap: !production,
  sourcesContent: false,
  legalComments: 'none',
  metafile: true,
  logLevel: 'warning',
};

/**
 * The AWS layer (SDK included) is its own file, required on first use: activation parses only the small
 * extension bundle. awsLoader's `import('./aws/index')` becomes `require('./aws.js')`.
 */
const lazyAwsLayer = {
  name: 'lazy-aws-layer',
  setup(build) {
    build.onResolve({ filter: /^\.\/aws\/index$/ }, (args) => (args.importer.endsWith('awsLoader.ts') ? { path: './aws.js', external: true } : undefined));
    // The manifest parser (ajv, the schema) likewise: dist/manifest.js, loaded when a manifest is first read.
    build.onResolve({ filter: /^\.\/core\/manifest\/parse$/ }, (args) => (args.importer.endsWith('manifestLoader.ts') ? { path: './manifest.js', external: true } : undefined));
  },
};

const node = {
  ...common,
  format: 'cjs',
  platform: 'node',
  target: 'node20',
  external: ['vscode'],
  // ESM builds of the SDK tree-shake; the CommonJS ones would pull in every EC2 command.
  mainFields: ['module', 'main'],
};

// `--extension-entry FILE --outdir DIR` builds another entry the same way (the build test uses it to prove the guard).
const argValue = (flag) => (process.argv.includes(flag) ? process.argv[process.argv.indexOf(flag) + 1] : undefined);
const extensionEntry = argValue('--extension-entry') ?? 'src/extension.ts';
const outDir = argValue('--outdir') ?? 'dist';

/** @type {import('esbuild').BuildOptions} */
const extension = { ...node, entryPoints: [extensionEntry], outfile: `${outDir}/extension.js`, plugins: [lazyAwsLayer] };

/**
 * activate() stays instant only while the SDK stays out of extension.js: one static import of an AWS module
 * under src/ would silently pull it in. The build fails instead, naming the importer.
 */
function assertNoSdkInExtension(metafile) {
  const sdk = Object.keys(metafile.inputs).filter((input) => /node_modules\/@(aws-sdk|smithy|aws-crypto)\//.test(input));
  if (sdk.length === 0) return;
  const importers = Object.entries(metafile.inputs)
    .filter(([file, input]) => !file.includes('node_modules') && input.imports.some((i) => /node_modules\/@(aws-sdk|smithy)\/|^@(aws-sdk|smithy)\//.test(i.path) || i.path.startsWith('src/aws/')))
    .map(([file]) => file);
  throw new Error(`The AWS SDK reached dist/extension.js (${sdk.length} SDK modules, e.g. ${sdk[0]}). Reach src/aws only through src/awsLoader.ts. Importers: ${importers.join(', ') || 'unknown'}`);
}

/**
 * The CLI (package.json `bin`): its own bundle, no `vscode` module anywhere in it; it reaches the same AWS layer
 * file (dist/aws.js) through awsLoader, as the extension does.
 */
/** @type {import('esbuild').BuildOptions} */
const cli = { ...node, external: [], entryPoints: ['src/cli/main.ts'], outfile: `${outDir}/cli.js`, banner: { js: '#!/usr/bin/env node' }, plugins: [lazyAwsLayer] };

function assertNoVscodeInCli(metafile) {
  const vscode = Object.values(metafile.inputs).flatMap((input) => input.imports.filter((i) => i.path === 'vscode'));
  if (vscode.length) throw new Error('The vscode module reached dist/cli.js: the CLI must run without VS Code.');
}

/** @type {import('esbuild').BuildOptions} */
const manifestLayer = { ...node, entryPoints: ['src/core/manifest/parse.ts'], outfile: `${outDir}/manifest.js` };

/** @type {import('esbuild').BuildOptions} */
const awsLayer = { ...node, entryPoints: ['src/aws/index.ts'], outfile: `${outDir}/aws.js` };

/** @type {import('esbuild').BuildOptions} */
const webview = {
  ...common,
  entryPoints: ['src/webview-ui/editPermissions.ts'],
  format: 'iife',
  platform: 'browser',
  target: 'es2022',
  outfile: `${outDir}/webview/editPermissions.js`,
};

/** @type {import('esbuild').BuildOptions} */
const matrixWebview = { ...webview, entryPoints: ['src/webview-ui/sharingMatrix.ts'], outfile: `${outDir}/webview/sharingMatrix.js` };

async function copyWebviewAssets() {
  await mkdir(`${outDir}/webview`, { recursive: true });
  await Promise.all([
    copyFile('src/webview-ui/editPermissions.css', `${outDir}/webview/editPermissions.css`),
    copyFile('src/webview-ui/sharingMatrix.css', `${outDir}/webview/sharingMatrix.css`),
    copyFile('node_modules/@vscode/codicons/dist/codicon.css', `${outDir}/webview/codicon.css`),
    copyFile('node_modules/@vscode/codicons/dist/codicon.ttf', `${outDir}/webview/codicon.ttf`),
  ]);
}

/** In watch mode, the lines the "$esbuild-watch" problem matcher reads (F5 waits for the first build). */
const watchProblemMatcher = {
  name: 'watch-problem-matcher',
  setup(build) {
    build.onStart(() => console.log('[watch] build started'));
    build.onEnd((result) => {
      for (const { text, location } of result.errors) {
        console.error(`✘ [ERROR] ${text}`);
        if (location) console.error(`    ${location.file}:${location.line}:${location.column}:`);
      }
      console.log('[watch] build finished');
    });
  },
};

if (watch) {
  await copyWebviewAssets();
  await Promise.all(
    [extension, awsLayer, webview, cli, manifestLayer, matrixWebview].map(async (options) => (await esbuild.context({ ...options, plugins: [...(options.plugins ?? []), watchProblemMatcher] })).watch()),
  );
} else {
  // A package build starts from an empty dist/ so no stale development source maps ship.
  if (production) await rm(outDir, { recursive: true, force: true });
  const results = await Promise.all([esbuild.build(extension), esbuild.build(awsLayer), esbuild.build(webview), esbuild.build(cli), esbuild.build(manifestLayer), copyWebviewAssets(), esbuild.build(matrixWebview)]);
  try {
    assertNoSdkInExtension(results[0].metafile);
    assertNoVscodeInCli(results[3].metafile);
  } catch (error) {
    console.error(`esbuild: ${error.message}`);
    process.exit(1);
  }
  for (const result of [...results.slice(0, 5), results[6]]) {
    for (const [file, output] of Object.entries(result.metafile.outputs)) {
      if (!file.endsWith('.map')) console.log(`esbuild: ${file} ${Math.round(output.bytes / 1024)} KiB${production ? ' (minified)' : ''}`);
    }
  }
}
