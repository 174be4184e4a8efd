import { configureLoadedLayer } from './l10nLayers';
export type ManifestModule = typeof import('./core/manifest/parse');

let manifestModule: ManifestModule | undefined;

/**
 * The manifest parser (JSON Schema validation with ajv) is loaded when a manifest is first read, not at
 * activation: esbuild maps this require to dist/manifest.js, its own file, as it does for the AWS layer.
 */
export function loadManifestParser(): ManifestModule {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  manifestModule ??= configureLoadedLayer(require('./core/manifest/parse') as ManifestModule);
  return manifestModule;
}
