import * as vscode from 'vscode';
import { FALLBACK_REGIONS, regionLabel } from '../core/regions';
import { loadAws } from '../awsLoader';
import type { Services } from '../services';
import { imageRefsFromNodes, isArgumentObject, selectedNodes, type ImageRef } from './imageRefs';
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

const REGION = /^[a-z]{2}(-[a-z]+)+-\d$/;

function parseArgument(value: unknown): CopyToRegionsArgument {
  const record = value as Record<string, unknown>;
  const text = (field: string) => {
    if (typeof record[field] !== 'string' || !record[field]) throw new Error(`Argument "${field}" must be a non-empty string.`);
    return record[field] as string;
  };
  const targetRegions = record.targetRegions;
  if (!Array.isArray(targetRegions) || targetRegions.length === 0 || !targetRegions.every((r) => typeof r === 'string' && REGION.test(r))) {
    throw new Error('Argument "targetRegions" must list Region names such as "eu-west-1".');
  }
  const kmsKeyIds = record.kmsKeyIds;
  if (kmsKeyIds !== undefined && (typeof kmsKeyIds !== 'object' || kmsKeyIds === null || !Object.values(kmsKeyIds).every((v) => typeof v === 'string'))) {
    throw new Error('Argument "kmsKeyIds" must map Region names to key ARNs or aliases.');
  }
  const argument: CopyToRegionsArgument = { profile: text('profile'), region: text('region'), imageId: text('imageId'), targetRegions: targetRegions as string[] };
  if (kmsKeyIds) argument.kmsKeyIds = kmsKeyIds as Record<string, string>;
  if (record.shareWithSameAccounts !== undefined) argument.shareWithSameAccounts = record.shareWithSameAccounts === true;
  return argument;
}

/**
 * amiSharing.copyImageToRegions: CopyImage into each target Region (with a per-Region customer managed key
 * when the source is encrypted, since a copy otherwise falls back to the default key), wait until available,
 * then apply the same launch permissions, which CopyImage does not copy. Regions run in parallel; one
 * Region's failure does not stop the others.
 */
export async function copyImageToRegions(services: Services, ...args: unknown[]): Promise<CopyToRegionsResult | undefined> {
  const argument = isArgumentObject(args[0]) ? parseArgument(args[0]) : await askArgument(services, args);
  if (!argument) return undefined;
  const [aws, gateway] = await Promise.all([loadAws(), services.gateway.get()]);
  const source = { profile: argument.profile, region: argument.region };
  const summary = await aws.describeImage(gateway, source, argument.imageId);
  if (summary.state !== 'available') throw new Error(`${argument.imageId} is ${summary.state}: only available AMIs can be copied.`);
  const permissions = argument.shareWithSameAccounts ? await aws.getLaunchPermissions(gateway, source, argument.imageId) : [];

  const results = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: `Copying ${argument.imageId} to ${argument.targetRegions.length} Regions`, cancellable: true },
    async (progress, token) => {
      const controller = new AbortController();
      token.onCancellationRequested(() => controller.abort());
      const state = new Map(argument.targetRegions.map((r) => [r, 'starting']));
      const report = (region: string, text: string) => {
        state.set(region, text);
        progress.report({ message: [...state].map(([r, s]) => `${r}: ${s}`).join(' · ') });
      };
      return Promise.all(
        argument.targetRegions.map(async (region): Promise<CopyToRegionsResult['results'][number]> => {
          try {
            const kmsKeyId = argument.kmsKeyIds?.[region];
            const imageId = await aws.copyImage(gateway, {
              profile: argument.profile,
              sourceRegion: argument.region,
              targetRegion: region,
              sourceImageId: argument.imageId,
              name: summary.name,
              ...(summary.description ? { description: summary.description } : {}),
              ...(kmsKeyId ? { kmsKeyId } : summary.anyEncrypted ? { encrypted: true } : {}),
            }, { signal: controller.signal });
            report(region, `${imageId} pending`);
            await aws.waitForAvailable(gateway, argument.profile, region, imageId, { signal: controller.signal, onState: (s) => report(region, `${imageId} ${s}`) });
            services.model.refreshProfile(argument.profile);
            if (permissions.length === 0) {
              report(region, `${imageId} available`);
              return { region, ok: true, imageId };
            }
            const shared = await aws.applyToImage(gateway, { profile: argument.profile, region }, imageId, { type: 'modify', change: { add: permissions, remove: [] } }, { signal: controller.signal });
            report(region, shared.ok ? `${imageId} shared` : `${imageId} not shared`);
            return { region, ok: shared.ok, imageId, shared: shared.ok, ...(shared.error ? { error: `Copied as ${imageId}, but sharing failed: ${shared.error}` } : {}) };
          } catch (error) {
            report(region, 'failed');
            return { region, ok: false, error: (error as Error).message };
          }
        }),
      );
    },
  );
  const failed = results.filter((r) => !r.ok);
  const message = `Copied ${argument.imageId} to ${results.filter((r) => r.imageId).map((r) => `${r.region} (${r.imageId})`).join(', ') || 'no Region'}` + (failed.length ? `; failed in ${failed.map((r) => `${r.region}: ${r.error}`).join('; ')}` : '');
  void (failed.length ? vscode.window.showErrorMessage(message) : vscode.window.showInformationMessage(message));
  if (summary.anyEncrypted && !argument.kmsKeyIds) {
    services.log.warn(`${argument.imageId} is encrypted and was copied without per-Region keys: the copies use each Region's default key (aws/ebs) and cannot be shared.`);
  }
  return { results };
}

async function askArgument(services: Services, args: unknown[]): Promise<CopyToRegionsArgument | undefined> {
  const nodes = selectedNodes(args);
  const image: ImageRef | undefined = nodes ? imageRefsFromNodes(nodes)[0] : (await pickImages(services, 'Copy AMI to Regions', false))?.[0];
  if (!image) return undefined;
  const [aws, gateway] = await Promise.all([loadAws(), services.gateway.get()]);
  const regions = await aws.listRegionNames(gateway, { profile: image.profile, region: image.region }).catch(() => [...FALLBACK_REGIONS]);
  const targetRegions = await services.prompts.pickMany(
    regions.filter((r) => r !== image.region).map((r) => ({ label: regionLabel(r), description: r, value: r })),
    { title: `Copy ${image.imageId} to which Regions?` },
  );
  if (!targetRegions?.length) return undefined;
  const summary = await aws.describeImage(gateway, { profile: image.profile, region: image.region }, image.imageId);
  const kmsKeyIds: Record<string, string> = {};
  if (summary.anyEncrypted) {
    for (const region of targetRegions) {
      const keys = await aws.listCustomerManagedKeys(gateway, { profile: image.profile, region }).catch(() => []);
      const choice = await services.prompts.pickOne(
        [...keys.map((k) => ({ label: k.alias ?? k.arn, description: k.arn, value: k.arn })), { label: 'Default key (aws/ebs)', description: 'the copy cannot be shared', value: '' }],
        { title: `Encrypt the copy in ${region} with…` },
      );
      if (choice === undefined) return undefined;
      if (choice) kmsKeyIds[region] = choice;
    }
  }
  const share = await services.prompts.pickOne(
    [{ label: 'Share the copies with the same accounts', value: true }, { label: 'Keep the copies private', value: false }],
    { title: 'Launch permissions are not copied' },
  );
  if (share === undefined) return undefined;
  return { profile: image.profile, region: image.region, imageId: image.imageId, targetRegions, ...(Object.keys(kmsKeyIds).length ? { kmsKeyIds } : {}), shareWithSameAccounts: share };
}
