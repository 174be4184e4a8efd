import * as l10n from '@vscode/l10n';
import type { ImageRef } from '../core/changes';
import { summarizeChange } from '../core/permissionPlan';
import type { LaunchPermission } from '../core/types';
import type { PipelineHost } from './host';
import type { ChangeOutcome, ImageOutcome } from './changeTypes';
import { copyWithCustomerKey } from './copyWithCustomerKey';
import { runChange } from './pipeline';

/** What scripts get back from a permission command: one entry per AMI. */
export interface ActionResults {
  changeId?: string;
  results: ImageOutcome[];
}

export interface OperationOptions {
  interactive: boolean;
  includeSnapshots?: boolean;
  proceedWithoutChecks?: boolean;
}

export function toResults(outcome: ChangeOutcome | undefined): ActionResults | undefined {
  return outcome ? { changeId: outcome.changeId, results: outcome.results } : undefined;
}

function nameImages(images: readonly ImageRef[]): string {
  return images.length === 1 ? images[0]!.imageId : `${images.length} AMIs`;
}

function countTargets(permissions: readonly LaunchPermission[]): string {
  return summarizeChange({ add: [...permissions], remove: [] }).replace(/\+/g, '');
}

function common(options: OperationOptions): { interactive: boolean; proceedWithoutChecks?: boolean } {
  return { interactive: options.interactive, ...(options.proceedWithoutChecks ? { proceedWithoutChecks: true } : {}) };
}

/** Adds launch permissions (and, with includeSnapshots, createVolumePermission on the snapshots). */
export async function shareImages(services: PipelineHost, images: ImageRef[], add: LaunchPermission[], options: OperationOptions): Promise<ActionResults | undefined> {
  const outcome = await runChange(
    services,
    images.map((image) => ({ kind: 'launchPermissions', image, add, remove: [], snapshots: options.includeSnapshots === true })),
    {
      action: 'Share',
      title: l10n.t('Share {0} with {1}?', nameImages(images), countTargets(add)),
      confirmLabel: add.some((p) => p.Group === 'all') ? l10n.t('Make public') : l10n.t('Share'),
      busyLabel: l10n.t('Sharing…'),
      ...common(options),
      copyWithCustomerKey: (image, entries) => copyWithCustomerKey(services, image, entries),
    },
  );
  return toResults(outcome);
}

/** Removes the given entries per AMI. */
export async function unshareImages(services: PipelineHost, removals: Array<{ image: ImageRef; remove: LaunchPermission[] }>, options: OperationOptions): Promise<ActionResults | undefined> {
  const entries = removals.reduce((sum, r) => sum + r.remove.length, 0);
  const outcome = await runChange(
    services,
    removals.map(({ image, remove }) => ({ kind: 'launchPermissions', image, add: [], remove, snapshots: options.includeSnapshots === true })),
    {
      action: 'Unshare',
      title: entries === 1 ? l10n.t('Remove 1 launch permission?') : l10n.t('Remove {0} launch permissions?', entries),
      confirmLabel: l10n.t('Unshare'),
      busyLabel: l10n.t('Unsharing…'),
      ...common(options),
    },
  );
  return toResults(outcome);
}

/** Removes every launch permission there is, exactly as listed in the confirmation. */
export async function resetImages(services: PipelineHost, images: ImageRef[], options: OperationOptions): Promise<ActionResults | undefined> {
  const outcome = await runChange(
    services,
    images.map((image) => ({ kind: 'launchPermissions', image, add: [], remove: 'all', snapshots: options.includeSnapshots === true })),
    { action: 'Reset', title: l10n.t('Reset the launch permissions of {0}?', nameImages(images)), confirmLabel: l10n.t('Reset'), busyLabel: l10n.t('Resetting…'), ...common(options) },
  );
  return toResults(outcome);
}

/** Removes public access (group "all") only. */
export async function makeImagesPrivate(services: PipelineHost, images: ImageRef[], options: OperationOptions): Promise<ActionResults | undefined> {
  const outcome = await runChange(
    services,
    images.map((image) => ({ kind: 'launchPermissions', image, add: [], remove: [{ Group: 'all' }], snapshots: options.includeSnapshots === true })),
    { action: 'Make private', title: l10n.t('Make {0} private?', nameImages(images)), confirmLabel: l10n.t('Make private'), busyLabel: l10n.t('Making private…'), ...common(options) },
  );
  return toResults(outcome);
}

/** Brings each snapshot's createVolumePermission in line with its AMI's launch permissions. */
export async function alignSnapshotPermissions(services: PipelineHost, images: ImageRef[], options: OperationOptions): Promise<ActionResults | undefined> {
  const outcome = await runChange(
    services,
    images.map((image) => ({ kind: 'snapshotPermissions', image, mode: 'align' })),
    { action: 'Align snapshot permissions', title: l10n.t('Bring the snapshot permissions of {0} in line?', nameImages(images)), confirmLabel: l10n.t('Update snapshots'), busyLabel: l10n.t('Aligning snapshots…'), ...common(options) },
  );
  return toResults(outcome);
}

/** The recipient's side: removes this account from the launch permissions of AMIs shared with it directly. */
export async function stopReceivingImages(services: PipelineHost, images: ImageRef[], options: OperationOptions): Promise<ActionResults | undefined> {
  const outcome = await runChange(
    services,
    images.map((image) => ({ kind: 'cancelLaunchPermission', image })),
    {
      action: 'Stop receiving',
      title: images.length === 1
        ? l10n.t('Stop receiving {0}? Only the owner can share it with this account again.', nameImages(images))
        : l10n.t('Stop receiving {0}? Only the owner can share them with this account again.', nameImages(images)),
      confirmLabel: l10n.t('Stop receiving'),
      busyLabel: l10n.t('Removing this account…'),
      ...common(options),
    },
  );
  return toResults(outcome);
}

/** Sets (an ISO 8601 time) or cancels (null) the deprecation time of each AMI; undone by restoring the old value. */
export async function setImagesDeprecation(services: PipelineHost, images: ImageRef[], deprecateAt: string | null, options: OperationOptions): Promise<ActionResults | undefined> {
  const outcome = await runChange(
    services,
    images.map((image) => ({ kind: 'imageSetting', image, setting: 'deprecation', value: deprecateAt })),
    deprecateAt === null
      ? { action: 'Cancel deprecation', title: l10n.t('Cancel the deprecation of {0}?', nameImages(images)), confirmLabel: l10n.t('Cancel deprecation'), busyLabel: l10n.t('Cancelling deprecation…'), ...common(options) }
      : { action: 'Deprecate', title: l10n.t('Deprecate {0} at {1}?', nameImages(images), deprecateAt), confirmLabel: l10n.t('Deprecate'), busyLabel: l10n.t('Deprecating…'), ...common(options) },
  );
  return toResults(outcome);
}

/** Turns deregistration protection on (optionally with EC2's 24-hour cooldown) or off. */
export async function setImagesProtection(services: PipelineHost, images: ImageRef[], enabled: boolean, withCooldown: boolean, options: OperationOptions): Promise<ActionResults | undefined> {
  const value = enabled ? (withCooldown ? 'enabled-with-cooldown' : 'enabled') : 'disabled';
  const outcome = await runChange(
    services,
    images.map((image) => ({ kind: 'imageSetting', image, setting: 'protection', value })),
    {
      action: enabled ? 'Protect' : 'Unprotect',
      title: enabled ? l10n.t('Turn on deregistration protection of {0}?', nameImages(images)) : l10n.t('Turn off deregistration protection of {0}?', nameImages(images)),
      confirmLabel: enabled ? l10n.t('Protect') : l10n.t('Turn off protection'),
      busyLabel: enabled ? l10n.t('Protecting…') : l10n.t('Removing protection…'),
      ...common(options),
    },
  );
  return toResults(outcome);
}

/** DisableImage: EC2 removes every launch permission; the plan lists them and the change log keeps them. */
export async function disableImages(services: PipelineHost, images: ImageRef[], options: OperationOptions): Promise<ActionResults | undefined> {
  const outcome = await runChange(
    services,
    images.map((image) => ({ kind: 'imageSetting', image, setting: 'state', value: 'disabled' })),
    { action: 'Disable', title: l10n.t('Disable {0}? Every launch permission is removed.', nameImages(images)), confirmLabel: l10n.t('Disable'), busyLabel: l10n.t('Disabling…'), ...common(options) },
  );
  return toResults(outcome);
}

/** EnableImage, then (in the same change) re-adds the launch permissions given per AMI (what disabling removed). */
export async function enableImages(services: PipelineHost, images: Array<{ image: ImageRef; restore: LaunchPermission[] }>, options: OperationOptions): Promise<ActionResults | undefined> {
  const outcome = await runChange(
    services,
    images.flatMap(({ image, restore }) => [
      { kind: 'imageSetting' as const, image, setting: 'state' as const, value: 'available' },
      ...(restore.length ? [{ kind: 'launchPermissions' as const, image, add: restore, remove: [] }] : []),
    ]),
    { action: 'Enable', title: l10n.t('Enable {0}?', nameImages(images.map((i) => i.image))), confirmLabel: l10n.t('Enable'), busyLabel: l10n.t('Enabling…'), ...common(options) },
  );
  return toResults(outcome);
}

/** DeregisterImage (refused while protected), optionally with its snapshots. Not undoable. */
export async function deregisterImages(services: PipelineHost, images: ImageRef[], deleteSnapshots: boolean, options: OperationOptions): Promise<ActionResults | undefined> {
  const outcome = await runChange(
    services,
    images.map((image) => ({ kind: 'imageSetting', image, setting: 'state', value: 'deregistered', ...(deleteSnapshots ? { deleteSnapshots: true } : {}) })),
    {
      action: 'Deregister',
      title: deleteSnapshots
        ? l10n.t('Deregister {0} and delete its snapshots? This cannot be undone.', nameImages(images))
        : l10n.t('Deregister {0}? This cannot be undone.', nameImages(images)),
      confirmLabel: l10n.t('Deregister'),
      busyLabel: l10n.t('Deregistering…'),
      ...common(options),
      offerUndo: false,
    },
  );
  return toResults(outcome);
}
