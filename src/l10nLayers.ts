import * as l10n from '@vscode/l10n';

/** What a lazily loaded layer (dist/aws.js, dist/manifest.js) exports so its own copy of @vscode/l10n is configured. */
export interface L10nConfigurable {
  configureL10n(config: { contents: Record<string, string> }): void;
}

let contents: Record<string, string> | undefined;

/**
 * The plain layers translate through @vscode/l10n. esbuild gives each lazily loaded bundle its own copy of that
 * module, so the bundle chosen at activation (vscode.l10n.bundle) is remembered here and handed to each layer
 * as it loads; without one (English, the CLI) every copy returns the English messages.
 */
export function useL10nBundle(bundle: Record<string, string> | undefined): void {
  contents = bundle;
  if (bundle) l10n.config({ contents: bundle });
}

export function configureLoadedLayer<T extends L10nConfigurable>(layer: T): T {
  if (contents) layer.configureL10n({ contents });
  return layer;
}
