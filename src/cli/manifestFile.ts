import * as fs from 'node:fs/promises';
import type { AwsGateway } from '../aws/gateway';
import { formatProblem, parseManifest } from '../core/manifest/parse';
import type { SharingManifest } from '../core/manifest/types';

export class CliError extends Error {
  override name = 'CliError';
}

/** Reads and validates a manifest; every problem is printed as file:line:column: path: message and nothing runs. */
export async function loadManifest(file: string, gateway: AwsGateway, stderr: NodeJS.WritableStream): Promise<SharingManifest> {
  let text: string;
  try {
    text = await fs.readFile(file, 'utf8');
  } catch (error) {
    throw new CliError(`Cannot read the manifest ${file}: ${(error as Error).message}`);
  }
  const config = await gateway.sharedConfig();
  const parsed = parseManifest(text, { profiles: config.profiles.map((p) => p.name) });
  if (!parsed.ok) {
    for (const problem of parsed.problems) stderr.write(`${formatProblem(file, problem)}\n`);
    throw new CliError(`${file}: ${parsed.problems.length} problem${parsed.problems.length === 1 ? '' : 's'}; nothing was read or changed.`);
  }
  return parsed.manifest;
}
