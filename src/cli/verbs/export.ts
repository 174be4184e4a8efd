import { readSharing } from '../../actions/readSharing';
import { manifestFromSharing, terraformFromSharing } from '../../core/manifest/exportState';
import type { CliContext } from '../context';
import { CliError } from '../manifestFile';
import { targetsFor } from './audit';

/** The current sharing as Terraform or as a manifest, on stdout. */
export async function exportVerb(context: CliContext, options: { terraform?: boolean; manifest?: boolean; profile?: string; region?: string; namePattern?: string }): Promise<number> {
  if (options.terraform === options.manifest) throw new CliError('export needs exactly one of --terraform or --manifest.');
  const gateway = await context.gateway();
  const targets = await targetsFor(gateway, { ...(options.profile ? { profiles: options.profile } : {}), ...(options.region ? { regions: options.region } : {}) });
  const read = await readSharing(gateway, targets, { snapshots: true, ...(options.namePattern ? { namePattern: options.namePattern } : {}) }, { priority: 'user', onProgress: (t) => context.io.progress(t) });
  context.io.progress('');
  for (const error of read.errors) context.io.stderr.write(`error: ${error.profile} ${error.region}${error.imageId ? ` ${error.imageId}` : ''}: ${error.error}\n`);
  if (read.errors.length) throw new CliError('Parts of the current sharing could not be read; nothing was exported.');
  context.io.stdout.write(options.terraform ? terraformFromSharing(read.images) : `${JSON.stringify({ $schema: './node_modules/ami-sharing/schemas/ami-sharing.schema.json', ...manifestFromSharing(read.images) }, null, 2)}\n`);
  return 0;
}
