import * as l10n from '@vscode/l10n';
import type { ActionResults } from '../actions/operations';
import { runChange } from '../actions/pipeline';
import type { AwsGateway } from '../aws/gateway';
import { loadAws, type AwsModule } from '../awsLoader';
import { runPool } from '../core/bulk';
import { groupBy } from '../core/collections';
import { keyPolicyDiff } from '../core/keyPolicy';
import { permissionKey } from '../core/launchPermissions';
import { describePermission } from '../core/permissionPlan';
import type { AwsTarget, LaunchPermission } from '../core/types';
import type { Services } from '../services';

const onlyUnused = () => l10n.t('Remove only where nothing else needs it');
const removeAll = () => l10n.t('Remove all of them (breaks the others)');
const removeFromKeyPolicy = () => l10n.t('Remove from key policy…');

function sameKey(a: string | undefined, b: string): boolean {
  if (!a) return false;
  return a === b || a.split('/').pop() === b.split('/').pop();
}

/** Other AMIs and snapshots in the Region that use this key and are still shared with each recipient. */
async function stillUsing(aws: AwsModule, gateway: AwsGateway, target: AwsTarget, keyArn: string, recipients: readonly LaunchPermission[]): Promise<Map<string, string[]>> {
  const users = new Map<string, string[]>();
  const images = (await aws.listImages(gateway, target, 'owned', { priority: 'user' })).filter((image) => image.anyEncrypted);
  const snapshotIds = images.flatMap((image) => image.snapshotIds);
  const snapshots = new Map<string, { kmsKeyId?: string }>();
  for (let start = 0; start < snapshotIds.length; start += 200) {
    for (const snapshot of await aws.describeSnapshots(gateway, target, snapshotIds.slice(start, start + 200))) snapshots.set(snapshot.snapshotId, snapshot);
  }
  const usingKey = images.filter((image) => image.snapshotIds.some((id) => sameKey(snapshots.get(id)?.kmsKeyId, keyArn)));
  await runPool(usingKey, 8, async (image) => {
    const permissions = new Set((await aws.getLaunchPermissions(gateway, target, image.imageId)).map(permissionKey));
    for (const recipient of recipients) {
      if (permissions.has(permissionKey(recipient))) users.set(permissionKey(recipient), [...(users.get(permissionKey(recipient)) ?? []), `AMI ${image.imageId} (${image.name})`]);
    }
    for (const snapshotId of image.snapshotIds) {
      const volume = new Set((await aws.getVolumePermissions(gateway, target, snapshotId)).map(permissionKey));
      for (const recipient of recipients) {
        if (volume.has(permissionKey(recipient))) users.set(permissionKey(recipient), [...(users.get(permissionKey(recipient)) ?? []), `snapshot ${snapshotId}`]);
      }
    }
  });
  return users;
}

/**
 * After an unshare: when the AMIs' customer managed keys still grant the removed recipients through the
 * statements AMI Sharing added, offer to remove them too, naming every other AMI and snapshot that uses the
 * key with that recipient; those recipients are kept by default so the other AMIs keep working.
 */
export async function offerKeyPolicyCleanup(services: Services, results: ActionResults): Promise<void> {
  const done = results.results.filter((r) => r.ok);
  const [aws, gateway] = await Promise.all([loadAws(), services.gateway.get()]);
  const names = services.settings().accountNames;
  for (const group of groupBy(done, (r) => `${r.profile}\u0000${r.region}`).values()) {
    const target = { profile: group[0]!.profile, region: group[0]!.region };
    try {
      const removed = group.flatMap((r) => r.before.filter((p) => !p.Group && !r.after.some((a) => permissionKey(a) === permissionKey(p))));
      if (removed.length === 0) continue;
      const summaries = await aws.describeImagesByIds(gateway, target, group.map((r) => r.imageId));
      const keyArns = new Set<string>();
      for (const summary of summaries.values()) {
        if (!summary.anyEncrypted) continue;
        const encryption = await aws.inspectImageEncryption(gateway, target, summary.snapshotIds);
        for (const key of encryption.customerManagedKeys) keyArns.add(key);
      }
      for (const keyArn of keyArns) {
        const { policy } = await aws.getKeyPolicy(gateway, target.profile, keyArn);
        const ours = keyPolicyDiff(policy, [], removed).remove as LaunchPermission[];
        if (ours.length === 0) continue;
        const users = await stillUsing(aws, gateway, target, keyArn, ours);
        const needed = ours.filter((r) => users.has(permissionKey(r)));
        const unused = ours.filter((r) => !users.has(permissionKey(r)));
        const who = ours.map((r) => describePermission(r, names)).join(', ');
        const detail = [
          'AMI Sharing added these grants when the AMI was shared. Other statements of the policy are left as they are.',
          ...needed.map((r) => `${describePermission(r, names)} still uses this key for: ${users.get(permissionKey(r))!.join(', ')}. Removing it would break those.`),
        ].join('\n');
        const actions = needed.length ? [...(unused.length ? [onlyUnused()] : []), removeAll()] : [removeFromKeyPolicy()];
        const choice = await services.prompts.choose(l10n.t('The key policy of {0} still lets {1} use the key', keyArn, who), detail, actions);
        if (!choice) continue;
        const revoke = choice === removeAll() ? ours : unused;
        if (revoke.length === 0) continue;
        await runChange(services, [{ kind: 'keyPolicy', profile: target.profile, keyArn, grant: [], revoke, forImages: group.map((r) => r.imageId) }], {
          action: 'Key policy',
          title: l10n.t('Remove {0} from the key policy of {1}?', revoke.map((r) => describePermission(r, names)).join(', '), keyArn),
          confirmLabel: l10n.t('Remove from key policy'),
          busyLabel: l10n.t('Updating key policy…'),
          interactive: true,
        });
      }
    } catch (error) {
      services.log.warn(`Could not check key policies after unsharing: ${(error as Error).message}`);
    }
  }
}
