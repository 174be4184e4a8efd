import * as l10n from '@vscode/l10n';
import { runChange } from '../actions/pipeline';
import { loadAws } from '../awsLoader';
import { FALLBACK_REGIONS, regionLabel } from '../core/regions';
import type { Services } from '../services';
import { IMAGE_ID, PROFILE_NAME, REGION_NAME, type Invocation } from './arguments';
import { ownedImagesOf, type ImageRef } from './imageRefs';
import { pickImages } from './pickImages';

export interface CopyToRegionsArgument {
  profile: string;
  region: string;
  imageId: string;
  targetRegions: string[];
  kmsKeyIds?: Record<string, string>;
  shareWithSameAccounts?: boolean;
}

export interface CopyToRegionsResult {
  results: Array<{ region: string; ok: boolean; imageId?: string; shared?: boolean; error?: string }>;
}

function parseArgument(call: Extract<Invocation, { kind: 'script' }>): CopyToRegionsArgument {
  const argument = call.argument.only('profile', 'region', 'imageId', 'targetRegions', 'kmsKeyIds', 'shareWithSameAccounts');
  const kmsKeyIds = argument.map('kmsKeyIds', REGION_NAME);
  const share = argument.optionalFlag('shareWithSameAccounts');
  return {
    profile: argument.text('profile', PROFILE_NAME),
    region: argument.text('region', REGION_NAME),
    imageId: argument.text('imageId', IMAGE_ID),
    targetRegions: [...new Set(argument.list('targetRegions', REGION_NAME, { nonEmpty: true }))],
    ...(kmsKeyIds ? { kmsKeyIds } : {}),
    ...(share !== undefined ? { shareWithSameAccounts: share } : {}),
  };
}

/**
 * amiSharing.copyImageToRegions: CopyImage into each target Region (with a per-Region customer managed key
 * when the source is encrypted, since a copy otherwise falls back to the default key), wait until available,
 * then apply the same launch permissions, which CopyImage does not copy. One change through the pipeline:
 * the plan (copies and their shares, public included) is confirmed once; Regions run in parallel and one
 * Region's failure does not stop the others.
 */
export async function copyImageToRegions(services: Services, call: Invocation): Promise<CopyToRegionsResult | undefined> {
  const argument = call.kind === 'script' ? parseArgument(call) : await askArgument(services, call);
  if (!argument) return undefined;
  const [aws, gateway] = await Promise.all([loadAws(), services.gateway.get()]);
  const source = { profile: argument.profile, region: argument.region };
  const summary = await aws.describeImage(gateway, source, argument.imageId);
  const permissions = argument.shareWithSameAccounts ? await aws.getLaunchPermissions(gateway, source, argument.imageId) : [];
  const image: ImageRef = { ...source, imageId: argument.imageId, name: summary.name };
  const outcome = await runChange(
    services,
    argument.targetRegions.map((targetRegion) => ({
      kind: 'copyImage',
      image,
      targetRegion,
      name: summary.name,
      ...(summary.description ? { description: summary.description } : {}),
      ...(argument.kmsKeyIds?.[targetRegion] ? { kmsKeyId: argument.kmsKeyIds[targetRegion] } : summary.anyEncrypted ? { encrypted: true } : {}),
      thenShare: permissions,
    })),
    {
      action: 'Copy to Regions',
      title: l10n.t('Copy {0} to {1}?', argument.imageId, argument.targetRegions.join(', ')),
      confirmLabel: permissions.some((p) => p.Group === 'all') ? l10n.t('Copy and make public') : l10n.t('Copy'),
      busyLabel: l10n.t('Copying…'),
      interactive: call.kind !== 'script',
    },
  );
  if (!outcome) return undefined;
  const result = outcome.results[0]!;
  if (!result.copies?.length) throw new Error(result.error ?? l10n.t('{0} was not copied.', argument.imageId));
  if (summary.anyEncrypted && !argument.kmsKeyIds) {
    services.log.warn(`${argument.imageId} is encrypted and was copied without per-Region keys: the copies use each Region's default key (aws/ebs) and cannot be shared.`);
  }
  return { results: argument.targetRegions.map((region) => result.copies!.find((c) => c.region === region) ?? { region, ok: false, error: result.error ?? l10n.t('Not copied') }) };
}

async function askArgument(services: Services, call: Invocation): Promise<CopyToRegionsArgument | undefined> {
  const image: ImageRef | undefined = call.kind === 'nodes' ? ownedImagesOf('amiSharing.copyImageToRegions', call.nodes)[0] : (await pickImages(services, l10n.t('Copy AMI to Regions'), false))?.[0];
  if (!image) return undefined;
  const [aws, gateway] = await Promise.all([loadAws(), services.gateway.get()]);
  const regions = await aws.listRegionNames(gateway, { profile: image.profile, region: image.region }).catch(() => [...FALLBACK_REGIONS]);
  const targetRegions = await services.prompts.pickMany(
    regions.filter((r) => r !== image.region).map((r) => ({ label: regionLabel(r), description: r, value: r })),
    { title: l10n.t('Copy {0} to which Regions?', image.imageId) },
  );
  if (!targetRegions?.length) return undefined;
  const summary = await aws.describeImage(gateway, { profile: image.profile, region: image.region }, image.imageId);
  const kmsKeyIds: Record<string, string> = {};
  if (summary.anyEncrypted) {
    for (const region of targetRegions) {
      const keys = await aws.listCustomerManagedKeys(gateway, { profile: image.profile, region }).catch(() => []);
      const choice = await services.prompts.pickOne(
        [...keys.map((k) => ({ label: k.alias ?? k.arn, description: k.arn, value: k.arn })), { label: l10n.t('Default key (aws/ebs)'), description: l10n.t('the copy cannot be shared'), value: '' }],
        { title: l10n.t('Encrypt the copy in {0} with…', region) },
      );
      if (choice === undefined) return undefined;
      if (choice) kmsKeyIds[region] = choice;
    }
  }
  const share = await services.prompts.pickOne(
    [{ label: l10n.t('Share the copies with the same accounts'), value: true }, { label: l10n.t('Keep the copies private'), value: false }],
    { title: l10n.t('Launch permissions are not copied') },
  );
  if (share === undefined) return undefined;
  return { profile: image.profile, region: image.region, imageId: image.imageId, targetRegions, ...(Object.keys(kmsKeyIds).length ? { kmsKeyIds } : {}), shareWithSameAccounts: share };
}
