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

/** @type {import('esbuild').BuildOptions} */
const extension = { ...node, entryPoints: ['src/extension.ts'], outfile: 'dist/extension.js', plugins: [lazyAwsLayer] };

/** @type {import('esbuild').BuildOptions} */
const awsLayer = { ...node, entryPoints: ['src/aws/index.ts'], outfile: 'dist/aws.js' };

/** @type {import('esbuild').BuildOptions} */
const webview = {
  ...common,
  entryPoints: ['src/webview-ui/editPermissions.ts'],
  format: 'iife',
  platform: 'browser',
  target: 'es2022',
  outfile: 'dist/webview/editPermissions.js',
};

async function copyWebviewAssets() {
  await mkdir('dist/webview', { recursive: true });
  await Promise.all([
    copyFile('src/webview-ui/editPermissions.css', 'dist/webview/editPermissions.css'),
    copyFile('node_modules/@vscode/codicons/dist/codicon.css', 'dist/webview/codicon.css'),
    copyFile('node_modules/@vscode/codicons/dist/codicon.ttf', 'dist/webview/codicon.ttf'),
  ]);
}

if (watch) {
  await copyWebviewAssets();
  await Promise.all([extension, awsLayer, webview].map(async (options) => (await esbuild.context(options)).watch()));
} else {
  // A package build starts from an empty dist/ so no stale development source maps ship.
  if (production) await rm('dist', { recursive: true, force: true });
  const results = await Promise.all([esbuild.build(extension), esbuild.build(awsLayer), esbuild.build(webview), copyWebviewAssets()]);
  for (const result of results.slice(0, 3)) {
    for (const [file, output] of Object.entries(result.metafile.outputs)) {
      if (!file.endsWith('.map')) console.log(`esbuild: ${file} ${Math.round(output.bytes / 1024)} KiB${production ? ' (minified)' : ''}`);
    }
  }
}
