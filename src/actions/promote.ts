import * as l10n from '@vscode/l10n';
import type { AwsGateway } from '../aws/gateway';
import { loadAws, type AwsModule } from '../awsLoader';
import { accountOfKey, permissionOfRecipient, recipientFromPermission } from '../core/keyPolicy';
import { permissionKey } from '../core/launchPermissions';
import type { ChangeRequest, ImageRef } from '../core/changes';
import type { ImageSummary, LaunchPermission } from '../core/types';
import type { PipelineHost } from './host';
import { runChange } from './pipeline';

export interface PromoteOptions {
  profile: string;
  region: string;
  fromImageId: string;
  toImageId: string;
  /** Other Regions, where the pair is found by the two AMIs' names. */
  regions?: string[];
  includeSnapshots?: boolean;
  /** ISO 8601: deprecate the previous version then. */
  deprecatePreviousAt?: string;
  /** Remove the previous version's launch permissions. */
  unsharePrevious?: boolean;
  interactive: boolean;
  /** How the previous version was found (tree): named in the confirmation, which is then always shown. */
  matched?: string;
}

export interface PromoteResult {
  region: string;
  fromImageId: string;
  toImageId: string;
  ok: boolean;
  before: LaunchPermission[];
  after: LaunchPermission[];
  error?: string;
}

interface Pair {
  region: string;
  from: ImageSummary;
  to: ImageSummary;
}

/**
 * Recipients the new AMI's customer managed keys (owned by this account) do not allow yet, per key. A key
 * policy that cannot be read is left to the pipeline's checks, which report it.
 */
async function collectKeyGrants(
  aws: AwsModule,
  gateway: AwsGateway,
  target: { profile: string; region: string; ownerAccount: string },
  image: ImageSummary,
  permissions: readonly LaunchPermission[],
  grants: Map<string, { keyArn: string; grant: Map<string, LaunchPermission>; forImages: Set<string> }>,
): Promise<void> {
  if (!image.anyEncrypted) return;
  const recipients = permissions.flatMap((p) => recipientFromPermission(p) ?? []);
  if (recipients.length === 0) return;
  const encryption = await aws.inspectImageEncryption(gateway, target, image.snapshotIds);
  for (const keyArn of encryption.customerManagedKeys.filter((arn) => accountOfKey(arn) === target.ownerAccount)) {
    const access = await aws.keyAccessFor(gateway, target.profile, keyArn, recipients);
    if (access.error || access.missing.length === 0) continue;
    const entry = grants.get(keyArn) ?? { keyArn, grant: new Map(), forImages: new Set() };
    for (const { recipient } of access.missing) {
      const permission = permissionOfRecipient(recipient);
      entry.grant.set(permissionKey(permission), permission);
    }
    entry.forImages.add(image.imageId);
    grants.set(keyArn, entry);
  }
}

/**
 * Gives a new AMI exactly the previous version's recipients, in its Region and in `regions` (pairs found by
 * name; a Region where either is missing is reported, never guessed), as one change: one plan, one
 * confirmation, one Undo. Snapshot permissions follow when the previous version had them (or
 * includeSnapshots); the key-policy statements its customer managed keys need for those recipients are steps
 * of the same plan, so the one confirmation lists every Region, recipient and key statement.
 */
export async function promoteImage(services: PipelineHost, options: PromoteOptions): Promise<{ changeId?: string; results: PromoteResult[] }> {
  const [aws, gateway] = await Promise.all([loadAws(), services.gateway.get()]);
  const home = { profile: options.profile, region: options.region };
  const found = await aws.describeImagesByIds(gateway, home, [options.fromImageId, options.toImageId]);
  const from = found.get(options.fromImageId);
  const to = found.get(options.toImageId);
  if (!from || !to) throw new Error(l10n.t('{0} was not found in {1} for profile {2}.', !from ? options.fromImageId : options.toImageId, options.region, options.profile));
  const pairs: Pair[] = [{ region: options.region, from, to }];
  const missing: PromoteResult[] = [];
  for (const region of [...new Set(options.regions ?? [])].filter((r) => r !== options.region)) {
    const owned = await aws.listImages(gateway, { profile: options.profile, region }, 'owned');
    const fromThere = owned.filter((i) => i.name === from.name);
    const toThere = owned.filter((i) => i.name === to.name);
    if (fromThere.length === 1 && toThere.length === 1) {
      pairs.push({ region, from: fromThere[0]!, to: toThere[0]! });
    } else {
      const what = [fromThere.length !== 1 ? `"${from.name}" (${fromThere.length} found)` : '', toThere.length !== 1 ? `"${to.name}" (${toThere.length} found)` : ''].filter(Boolean).join(' and ');
      missing.push({ region, fromImageId: fromThere[0]?.imageId ?? '', toImageId: toThere[0]?.imageId ?? '', ok: false, before: [], after: [], error: l10n.t('Not promoted in {0}: exactly one AMI named {1} is needed; nothing was guessed.', region, what) });
    }
  }

  const requests: ChangeRequest[] = [];
  const keyGrants = new Map<string, { keyArn: string; grant: Map<string, LaunchPermission>; forImages: Set<string> }>();
  const ownerAccount = await gateway.accountId(options.profile);
  for (const pair of pairs) {
    const target = { profile: options.profile, region: pair.region };
    const permissions = await aws.getLaunchPermissions(gateway, target, pair.from.imageId);
    const snapshotPermissions = await Promise.all(pair.from.snapshotIds.map((id) => aws.getVolumePermissions(gateway, target, id)));
    const snapshots = options.includeSnapshots === true || snapshotPermissions.some((p) => p.length > 0);
    const fromRef: ImageRef = { ...target, imageId: pair.from.imageId, name: pair.from.name };
    const toRef: ImageRef = { ...target, imageId: pair.to.imageId, name: pair.to.name };
    if (permissions.length) {
      requests.push({ kind: 'launchPermissions', image: toRef, add: permissions, remove: [], snapshots });
      await collectKeyGrants(aws, gateway, { ...target, ownerAccount }, pair.to, permissions, keyGrants);
    }
    if (options.deprecatePreviousAt) requests.push({ kind: 'imageSetting', image: fromRef, setting: 'deprecation', value: options.deprecatePreviousAt });
    if (options.unsharePrevious && permissions.length) requests.push({ kind: 'launchPermissions', image: fromRef, add: [], remove: 'all', snapshots });
  }
  // The key statements the new version's customer managed keys need for these recipients: part of the one plan.
  for (const { keyArn, grant, forImages } of keyGrants.values()) {
    requests.unshift({ kind: 'keyPolicy', profile: options.profile, keyArn, grant: [...grant.values()], revoke: [], forImages: [...forImages] });
  }
  if (requests.length === 0) {
    return { results: [...pairs.map((p) => ({ region: p.region, fromImageId: p.from.imageId, toImageId: p.to.imageId, ok: true, before: [], after: [] })), ...missing] };
  }
  const outcome = await runChange(services, requests, {
    action: 'Promote',
    title: [
      options.matched
        ? l10n.t('Promote {0} ({1}) from {2} in {3}? Previous version matched by {4}.', to.name, options.toImageId, from.name, pairs.map((p) => p.region).join(', '), options.matched)
        : l10n.t('Promote {0} ({1}) from {2} in {3}?', to.name, options.toImageId, from.name, pairs.map((p) => p.region).join(', ')),
      ...(missing.length ? [l10n.t('Not promoted in {0}: the pair of AMIs was not found there by name.', missing.map((m) => m.region).join(', '))] : []),
    ].join(' '),
    confirmLabel: l10n.t('Promote'),
    busyLabel: l10n.t('Promoting…'),
    interactive: options.interactive,
    ...(options.matched ? { alwaysConfirm: true } : {}),
  });
  if (!outcome) throw Object.assign(new Error(l10n.t('Cancelled: nothing was changed.')), { name: 'ChangeCancelled' });
  const results = pairs.map((pair): PromoteResult => {
    const related = outcome.results.filter((r) => r.region === pair.region && (r.imageId === pair.to.imageId || r.imageId === pair.from.imageId));
    const toResult = outcome.results.find((r) => r.region === pair.region && r.imageId === pair.to.imageId);
    const failed = related.filter((r) => !r.ok);
    return {
      region: pair.region,
      fromImageId: pair.from.imageId,
      toImageId: pair.to.imageId,
      ok: failed.length === 0,
      before: toResult?.before ?? [],
      after: toResult?.after ?? [],
      ...(failed.length ? { error: failed.map((r) => `${r.imageId}: ${r.error}`).join('; ') } : {}),
    };
  });
  return { changeId: outcome.changeId, results: [...results, ...missing] };
}
