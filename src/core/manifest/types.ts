/** The sharing manifest (`ami-sharing.json`, `*.ami-sharing.json`) as parsed and validated. */
export interface SharingManifest {
  policies: SharingPolicy[];
}

export interface SharingPolicy {
  name: string;
  profile: string;
  regions: string[];
  images: { namePattern?: string; tags?: Record<string, string> };
  share: { accounts?: string[]; organizations?: string[]; organizationalUnits?: string[] };
  /** False unless written true. */
  public?: boolean;
  snapshots?: boolean;
  exclusive?: boolean;
}

/** One thing wrong with a manifest, where it is: 1-based line and column, a JSON path, the text span. */
export interface ManifestProblem {
  message: string;
  /** `policies[0].share.accounts[1]`; `` for the document itself. */
  path: string;
  line: number;
  column: number;
  offset: number;
  length: number;
}

export type ManifestParse = { ok: true; manifest: SharingManifest; problems: [] } | { ok: false; problems: ManifestProblem[] };

export const MANIFEST_FILE_NAME = 'ami-sharing.json';

export function isManifestFileName(fileName: string): boolean {
  const base = fileName.split(/[\\/]/).pop() ?? '';
  return base === MANIFEST_FILE_NAME || base.endsWith(`.${MANIFEST_FILE_NAME}`);
}
