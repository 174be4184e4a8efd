import * as l10n from '@vscode/l10n';
import type { AwsGateway, CallOptions } from '../aws/gateway';
import type { AwsModule } from '../awsLoader';
import { runGrouped, byProfileAndRegion, shortFirst } from '../core/bulk';
import { addsLaunchPermissions, imageKeyOf, planDiff, roundToMinute, volumeEntries, type ChangeRequest, type PlannedStep } from '../core/changes';
import { groupBy } from '../core/collections';
import { FreshReads } from '../core/freshReads';
import { applyKeyPolicyDiff, formatPolicy, keyPolicyDiff, recipientsGrantedByUs, regionOfKey } from '../core/keyPolicy';
import { permissionKey } from '../core/launchPermissions';
import { entityCountAfter, MAX_ENTITIES_PER_IMAGE } from '../core/permissionPlan';
import type { AwsTarget, ImageSummary, LaunchPermission } from '../core/types';

/** The plan of a change: steps against the state read just now, and the AMIs that could not be read. */
export interface Draft {
  steps: PlannedStep[];
  /** Per AMI (imageKeyOf): why nothing can be planned for it (state could not be read, quota). */
  failures: Map<string, string>;
  summaries: Map<string, ImageSummary>;
  /** Key policies as read for the plan, for the diff editor. */
  policies: Map<string, { before: string; after: string }>;
}

const LANES_PER_REGION = 16;
/** A launch-permission read started with DescribeImages is used only if its lane takes it within this long; otherwise it is read again. */
const EARLY_READ_KEPT_MS = 1000;

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** Called in the planning lane as soon as one AMI's steps are planned (the pipeline applies them there when it may). */
export type OnPlanned = (steps: PlannedStep[], summary: ImageSummary) => Promise<void>;

/** Called in the planning lane when an AMI's summary is in, before its state is read (reads that need only the summary start here). */
export type OnSummary = (request: Exclude<ChangeRequest, { kind: 'keyPolicy' }>, summary: ImageSummary) => void;

/** Reads the current state of everything the requests touch, fresh, and plans each as a diff. */
export async function readAndPlan(aws: AwsModule, gateway: AwsGateway, requests: readonly ChangeRequest[], options: CallOptions, onPlanned?: OnPlanned, onSummary?: OnSummary): Promise<Draft> {
  const draft: Draft = { steps: [], failures: new Map(), summaries: new Map(), policies: new Map() };
  const imageRequests = requests.filter((r): r is Exclude<ChangeRequest, { kind: 'keyPolicy' }> => r.kind !== 'keyPolicy');
  const earlyReads = readFirstLaunchPermissions(aws, gateway, imageRequests, options);
  const described = describeAll(aws, gateway, imageRequests.map((r) => r.image), draft, options, earlyReads.afterSent);
  // Every chunk is awaited (and a cancellation in one is not left unhandled), whatever the lanes got to.
  const allDescribed = Promise.all(described.values());
  allDescribed.catch(() => undefined);

  const planned = await runGrouped(
    imageRequests,
    (request) => byProfileAndRegion(request.image),
    LANES_PER_REGION,
    async (request) => {
      const key = imageKeyOf(request.image);
      await described.get(key);
      const summary = draft.summaries.get(key);
      if (!summary) return [];
      onSummary?.(request, summary);
      let steps: PlannedStep[];
      try {
        steps = await planImageRequest(aws, gateway, request, summary, options, earlyReads.reads.take(key));
      } catch (error) {
        if ((error as Error)?.name === 'CancelledError') throw error;
        draft.failures.set(key, error instanceof QuotaError ? error.message : l10n.t('Could not read the current state of {0}: {1}. Nothing was changed.', request.image.imageId, message(error)));
        return [];
      }
      await onPlanned?.(steps, summary);
      return steps;
    },
    options.signal,
    (indexes) => {
      // Short chains first: an AMI whose share check decides from its summary is applied one round trip after
      // it is described; one with encrypted snapshots waits for DescribeSnapshots and then its keys. Taken in
      // the order asked, a bulk share of the newest AMIs (often the encrypted ones) left every lane waiting on
      // keys while EC2's write bucket sat full. So lanes take the short ones of each DescribeImages chunk as it
      // comes in, and the others once the group is described.
      const readsKeys = (index: number) => {
        const request = imageRequests[index]!;
        const summary = draft.summaries.get(imageKeyOf(request.image));
        return addsLaunchPermissions(request) && summary !== undefined && aws.shareCheckReadsKeys(summary);
      };
      return shortFirst(indexes, (index) => described.get(imageKeyOf(imageRequests[index]!.image)) ?? Promise.resolve(), (index) => !readsKeys(index));
    },
  );
  await allDescribed;
  const keySteps = await Promise.all(
    requests
      .filter((r): r is Extract<ChangeRequest, { kind: 'keyPolicy' }> => r.kind === 'keyPolicy')
      .map(async (request) => {
        const { text, policy } = await aws.getKeyPolicy(gateway, request.profile, request.keyArn, options);
        const diff = keyPolicyDiff(policy, request.grant, request.revoke);
        draft.policies.set(`${request.profile}\u0000${request.keyArn}`, { before: formatPolicy(policy), after: formatPolicy(applyKeyPolicyDiff(policy, diff)) });
        const step: PlannedStep = {
          address: { kind: 'keyPolicy', profile: request.profile, region: regionOfKey(request.keyArn) ?? 'us-east-1', imageId: request.forImages[0] ?? '', keyArn: request.keyArn },
          before: recipientsGrantedByUs(policy) as LaunchPermission[],
          diff: diff as { add: LaunchPermission[]; remove: LaunchPermission[] },
          policyText: text,
        };
        return step;
      }),
  );
  // Key grants first: recipients must be able to use the key by the time they can launch.
  draft.steps = [...keySteps, ...planned.flatMap((steps) => steps ?? [])];
  return draft;
}

/**
 * The launch permissions of the AMIs the lanes take in their first two rounds (the first 2 × LANES_PER_REGION
 * of each profile and Region), each read right behind the DescribeImages chunk that has it instead of after
 * that chunk's answer: the read needs only the AMI's ID, so the first write waits one round trip instead of
 * two. Two rounds, because lanes take the AMIs with the shortest checks first: when the first chunk's are
 * all encrypted (the newest AMIs of a pipeline often are), the first writes come from the second chunk. A
 * read whose AMI does not exist, or that waited too long to be taken, is simply not used.
 */
function readFirstLaunchPermissions(
  aws: AwsModule,
  gateway: AwsGateway,
  requests: ReadonlyArray<Exclude<ChangeRequest, { kind: 'keyPolicy' }>>,
  options: CallOptions,
): { reads: FreshReads<LaunchPermission[]>; afterSent: (target: AwsTarget, chunk: readonly string[]) => void } {
  const reads = new FreshReads<LaunchPermission[]>(EARLY_READ_KEPT_MS);
  const early = new Set<string>();
  for (const group of groupBy(requests, (request) => byProfileAndRegion(request.image)).values()) {
    for (const request of group.filter((r) => r.kind === 'launchPermissions').slice(0, 2 * LANES_PER_REGION)) early.add(imageKeyOf(request.image));
  }
  const afterSent = (target: AwsTarget, chunk: readonly string[]) => {
    for (const imageId of chunk) {
      const key = imageKeyOf({ ...target, imageId });
      if (early.has(key)) reads.start(key, () => aws.getLaunchPermissions(gateway, target, imageId, options));
    }
  };
  return { reads, afterSent };
}

/**
 * Reads every AMI's summary (DescribeImages by IDs, chunks sent at once) into the draft; per AMI, a promise
 * settled once its own chunk is in, so planning starts with the first chunk instead of the last.
 */
function describeAll(
  aws: AwsModule,
  gateway: AwsGateway,
  images: ReadonlyArray<{ profile: string; region: string; imageId: string }>,
  draft: Draft,
  options: CallOptions,
  afterSent: (target: AwsTarget, chunk: readonly string[]) => void,
): Map<string, Promise<void>> {
  const described = new Map<string, Promise<void>>();
  for (const group of groupBy(images, byProfileAndRegion).values()) {
    const target = { profile: group[0]!.profile, region: group[0]!.region };
    const imagesById = groupBy(group, (image) => image.imageId);
    for (const chunk of aws.describeImagesByIdsInChunks(gateway, target, [...imagesById.keys()], options, (ids) => afterSent(target, ids))) {
      const chunkImages = chunk.imageIds.flatMap((id) => imagesById.get(id) ?? []);
      const settled = chunk.found.then(
        (found) => {
          for (const image of chunkImages) {
            const summary = found.get(image.imageId);
            if (summary) draft.summaries.set(imageKeyOf(image), summary);
            else draft.failures.set(imageKeyOf(image), l10n.t('{0} was not found in {1} for profile {2}: it may be in another Region, deregistered, or not owned by this account.', image.imageId, image.region, image.profile));
          }
        },
        (error: unknown) => {
          if ((error as Error)?.name === 'CancelledError') throw error;
          for (const image of chunkImages) draft.failures.set(imageKeyOf(image), l10n.t('Could not read the current state of {0}: {1}. Nothing was changed.', image.imageId, message(error)));
        },
      );
      for (const image of chunkImages) described.set(imageKeyOf(image), settled);
    }
  }
  return described;
}

async function planImageRequest(
  aws: AwsModule,
  gateway: AwsGateway,
  request: Exclude<ChangeRequest, { kind: 'keyPolicy' }>,
  summary: ImageSummary,
  options: CallOptions,
  launchPermissionsRead: Promise<LaunchPermission[]> | undefined,
): Promise<PlannedStep[]> {
  const { image } = request;
  const target = { profile: image.profile, region: image.region };
  const address = (kind: PlannedStep['address']['kind'], extra: Partial<PlannedStep['address']> = {}) => ({ kind, profile: image.profile, region: image.region, imageId: image.imageId, ...extra });
  const snapshotStep = async (snapshotId: string, wantAdd: LaunchPermission[], wantRemove: LaunchPermission[] | 'all'): Promise<PlannedStep> => {
    const before = (await aws.getVolumePermissions(gateway, target, snapshotId, options)) as LaunchPermission[];
    return { address: address('snapshotPermissions', { snapshotId }), before, diff: planDiff(before, wantAdd, wantRemove) };
  };
  switch (request.kind) {
    case 'launchPermissions': {
      const before = await (launchPermissionsRead ?? aws.getLaunchPermissions(gateway, target, image.imageId, options));
      const diff = planDiff(before, request.add, request.remove);
      const count = entityCountAfter(before, diff);
      if (count > MAX_ENTITIES_PER_IMAGE) {
        throw new QuotaError(l10n.t('{0} would have {1} launch-permission entities; EC2 allows {2} (accounts, organizations and OUs) per AMI per Region.', image.imageId, count, MAX_ENTITIES_PER_IMAGE));
      }
      const steps: PlannedStep[] = [{ address: address('launchPermissions'), before, diff, requested: request.add }];
      if (request.snapshots) {
        // Snapshots follow what was asked, not only what changed: an account that could already launch may still lack copy rights.
        const removeAsked = request.remove === 'all' ? before : request.remove;
        for (const snapshotId of summary.snapshotIds) steps.push(await snapshotStep(snapshotId, volumeEntries(request.add), volumeEntries(removeAsked)));
      }
      return steps;
    }
    case 'snapshotPermissions': {
      if (request.mode === 'align') {
        const wanted = volumeEntries(await aws.getLaunchPermissions(gateway, target, image.imageId, options));
        const steps: PlannedStep[] = [];
        for (const snapshotId of summary.snapshotIds) {
          const before = (await aws.getVolumePermissions(gateway, target, snapshotId, options)) as LaunchPermission[];
          const keep = new Set(wanted.map(permissionKey));
          steps.push({ address: address('snapshotPermissions', { snapshotId }), before, diff: planDiff(before, wanted, before.filter((b) => !keep.has(permissionKey(b)))) });
        }
        return steps;
      }
      return [await snapshotStep(request.mode.snapshotId, request.mode.add, request.mode.remove)];
    }
    case 'copyImage':
      return [{ address: address('copyImage', { targetRegion: request.targetRegion }), before: [], diff: { add: [], remove: [] }, copy: request }];
    case 'cancelLaunchPermission': {
      // A recipient cannot read the owner's launch permissions: a dry run of the cancel says whether its account is in them directly.
      const before = await aws.directShareEntry(gateway, target, image.imageId, options);
      return [{ address: address('cancelLaunchPermission'), before, diff: { add: [], remove: before } }];
    }
    case 'imageSetting': {
      if (request.setting === 'state') return planStateChange(aws, gateway, request, summary, options);
      const before = await aws.readImageSetting(gateway, target, image.imageId, request.setting, options);
      const after = request.setting === 'deprecation' && request.value !== null ? roundToMinute(request.value) : request.value;
      return [{ address: address('imageSetting', { setting: request.setting }), before: [], diff: { add: [], remove: [] }, setting: { name: request.setting, before, after } }];
    }
  }
}

/**
 * DisableImage / EnableImage / DeregisterImage. Disabling and deregistering remove every launch permission:
 * the plan lists them (`before` is recorded in the change log first), so Enable and Undo can restore exactly them.
 */
async function planStateChange(
  aws: AwsModule,
  gateway: AwsGateway,
  request: Extract<ChangeRequest, { kind: 'imageSetting' }>,
  summary: ImageSummary,
  options: CallOptions,
): Promise<PlannedStep[]> {
  const { image } = request;
  const target = { profile: image.profile, region: image.region };
  const address = { kind: 'imageSetting' as const, profile: image.profile, region: image.region, imageId: image.imageId, setting: 'state' as const };
  const setting = { name: 'state' as const, before: summary.state as string, after: request.value };
  if (request.value === 'available') return [{ address, before: [], diff: { add: [], remove: [] }, setting }];
  const before = await aws.getLaunchPermissions(gateway, target, image.imageId, options);
  const notes: string[] = [];
  if (request.value === 'deregistered') {
    const lifecycle = await aws.describeLifecycle(gateway, target, image.imageId, options);
    const protection = lifecycle?.protection ?? 'disabled';
    if (protection !== 'disabled') {
      const why = protection.startsWith('disabled-until')
        ? l10n.t('{0} cannot be deregistered: its deregistration protection was turned off with a 24-hour cooldown and holds until {1}. Nothing was changed.', image.imageId, protection.slice('disabled-until '.length))
        : l10n.t('{0} cannot be deregistered: deregistration protection is on ({1}); turn it off first (amiSharing.setDeregistrationProtection). Nothing was changed.', image.imageId, protection);
      throw new QuotaError(why);
    }
    notes.push(l10n.t('Deregistering {0} cannot be undone.', image.imageId));
    if (summary.snapshotIds.length) {
      notes.push(
        request.deleteSnapshots
          ? l10n.t('Snapshots deleted with {0} (EC2 keeps any another AMI uses): {1}.', image.imageId, summary.snapshotIds.join(', '))
          : l10n.t('Snapshots of {0} that stay (and keep costing): {1}.', image.imageId, summary.snapshotIds.join(', ')),
      );
    }
  } else if (before.length) {
    notes.push(before.length === 1
        ? l10n.t('Disabling {0} removes its 1 launch permission; the change log keeps it, and Enable offers to restore exactly it.', image.imageId)
        : l10n.t('Disabling {0} removes all {1} launch permissions; the change log keeps them, and Enable offers to restore exactly them.', image.imageId, before.length));
  }
  return [{ address, before, diff: { add: [], remove: [...before] }, setting, notes, ...(request.deleteSnapshots ? { deleteSnapshots: true } : {}) }];
}

/** EC2's per-AMI entity quota, found before any call. */
export class QuotaError extends Error {
  override name = 'QuotaError';
}
