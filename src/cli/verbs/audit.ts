import { readSharing } from '../../actions/readSharing';
import { describePermission } from '../../core/permissionPlan';
import { terminalSafe } from '../../core/terminalText';
import type { AwsTarget } from '../../core/types';
import type { AwsGateway } from '../../aws/gateway';
import type { CliContext } from '../context';
import { CliError } from '../manifestFile';

function list(value: string | undefined): string[] | undefined {
  return value === undefined ? undefined : value.split(',').map((v) => v.trim()).filter(Boolean);
}

/** Profiles (all of the config files by default) × Regions (each profile's own by default). */
export async function targetsFor(gateway: AwsGateway, options: { profiles?: string; regions?: string }): Promise<AwsTarget[]> {
  const config = await gateway.sharedConfig();
  const known = config.profiles.map((p) => p.name);
  const profiles = list(options.profiles) ?? known;
  const unknown = profiles.filter((p) => !known.includes(p));
  if (unknown.length) throw new CliError(`Unknown profile${unknown.length === 1 ? '' : 's'}: ${unknown.join(', ')} (profiles: ${known.join(', ') || 'none'}).`);
  const regions = list(options.regions);
  const bad = (regions ?? []).filter((r) => !/^[a-z]{2}(-gov|-iso[a-z]?)?-[a-z]+-\d$/.test(r));
  if (bad.length) throw new CliError(`Not a Region name: ${bad.join(', ')}.`);
  return (await Promise.all(profiles.map(async (profile) => (regions ?? [await gateway.defaultRegion(profile)]).map((region) => ({ profile, region }))))).flat();
}

export async function auditVerb(context: CliContext, options: { public?: boolean; profiles?: string; regions?: string; json?: boolean }): Promise<number> {
  const gateway = await context.gateway();
  const targets = await targetsFor(gateway, options);
  const read = await readSharing(gateway, targets, { publicOnly: options.public === true }, { priority: 'user', onProgress: (t) => context.io.progress(t) });
  context.io.progress('');
  for (const error of read.errors) context.io.stderr.write(`error: ${error.profile} ${error.region}${error.imageId ? ` ${error.imageId}` : ''}: ${error.error}\n`);
  const images = read.images.filter((i) => !options.public || i.launch.some((p) => p.Group === 'all'));
  if (options.json) {
    const shaped = images.map((i) => ({ profile: i.profile, region: i.region, imageId: i.imageId, name: i.name, public: i.launch.some((p) => p.Group === 'all'), launchPermissions: i.launch }));
    context.io.stdout.write(`${JSON.stringify({ images: shaped, errors: read.errors }, null, 2)}\n`);
  } else {
    for (const i of images) context.io.stdout.write(`${i.profile}\t${i.region}\t${i.imageId}\t${terminalSafe(i.name)}\t${i.launch.map((p) => describePermission(p)).join(', ')}\n`);
    context.io.stdout.write(`${images.length} ${options.public ? 'public' : 'shared'} AMI${images.length === 1 ? '' : 's'} in ${targets.length} profile/Region pair${targets.length === 1 ? '' : 's'}.\n`);
  }
  return read.errors.length ? 1 : 0;
}
