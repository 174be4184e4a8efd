import * as l10n from '@vscode/l10n';
import { ChangeCancelled } from '../actions/changeTypes';
import { deregisterImages, disableImages, enableImages, setImagesDeprecation, setImagesProtection, type ActionResults } from '../actions/operations';
import { describePermission } from '../core/permissionPlan';
import type { LaunchPermission } from '../core/types';
import type { Services } from '../services';
import { promoteImage as promote, type PromoteResult } from '../actions/promote';
import { loadAws } from '../awsLoader';
import { previousVersionOf } from '../core/imageFamily';
import { ArgumentError, IMAGE_ID, PROFILE_NAME, REGION_NAME, type Invocation, type ScriptArgument } from './arguments';
import { imagesOfArgument, ownedImagesOf, type ImageRef } from './imageRefs';
import { pickImages } from './pickImages';

const ISO_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2})$/;

/** A time EC2 can take: ISO 8601 with a zone (EC2 works in UTC and rounds to the minute). */
export function parseDeprecateAt(command: string, value: string): string {
  if (!ISO_TIME.test(value) || Number.isNaN(Date.parse(value))) {
    throw new ArgumentError(l10n.t('{0}: argument "deprecateAt" must be an ISO 8601 time with a zone, such as "2027-01-31T00:00:00Z", or null to cancel; got {1}.', command, JSON.stringify(value).slice(0, 80)));
  }
  return new Date(Date.parse(value)).toISOString();
}

async function imagesOf(services: Services, call: Exclude<Invocation, { kind: 'script' }>, command: string, title: string): Promise<ImageRef[] | undefined> {
  return call.kind === 'nodes' ? ownedImagesOf(command, call.nodes) : pickImages(services, title, true);
}

function deprecateAtOf(command: string, argument: ScriptArgument): string | null {
  if (argument.isNull('deprecateAt')) return null;
  return parseDeprecateAt(command, argument.text('deprecateAt'));
}

/** amiSharing.setDeprecation `{ profile, region, imageIds, deprecateAt: string | null }`. */
export async function setDeprecation(services: Services, call: Invocation): Promise<ActionResults | undefined> {
  const command = 'amiSharing.setDeprecation';
  if (call.kind === 'script') {
    const argument = call.argument.only('profile', 'region', 'imageIds', 'deprecateAt');
    const images = imagesOfArgument(argument);
    return setImagesDeprecation(services, images, deprecateAtOf(command, argument), { interactive: false });
  }
  const images = await imagesOf(services, call, command, l10n.t('Deprecate AMI'));
  if (!images?.length) return undefined;
  const answer = await services.prompts.input({
    title: l10n.t('Deprecate {0}', nameSelection(images)),
    prompt: l10n.t('When (UTC, ISO 8601; EC2 rounds to the minute, at most 10 years ahead, 2 years after creation for public AMIs). Leave empty to cancel an existing deprecation.'),
    placeHolder: '2027-01-31T00:00:00Z',
    validate: (value) => {
      if (value.trim() === '') return undefined;
      try {
        parseDeprecateAt(command, value.trim());
        return undefined;
      } catch (error) {
        return (error as Error).message;
      }
    },
  });
  if (answer === undefined) return undefined;
  const deprecateAt = answer.trim() === '' ? null : parseDeprecateAt(command, answer.trim());
  return setImagesDeprecation(services, images, deprecateAt, { interactive: true });
}

/** amiSharing.setDeregistrationProtection `{ profile, region, imageIds, enabled: boolean, withCooldown?: boolean }`. */
export async function setDeregistrationProtection(services: Services, call: Invocation): Promise<ActionResults | undefined> {
  const command = 'amiSharing.setDeregistrationProtection';
  if (call.kind === 'script') {
    const argument = call.argument.only('profile', 'region', 'imageIds', 'enabled', 'withCooldown');
    const images = imagesOfArgument(argument);
    if (!argument.has('enabled')) throw new ArgumentError(l10n.t('{0}: argument "enabled" must be true or false; got missing.', command));
    const enabled = argument.flag('enabled');
    const withCooldown = argument.flag('withCooldown');
    if (!enabled && withCooldown) throw new ArgumentError(l10n.t('{0}: "withCooldown" only applies when "enabled" is true (the cooldown is chosen when protection is turned on).', command));
    return setImagesProtection(services, images, enabled, withCooldown, { interactive: false });
  }
  const images = await imagesOf(services, call, command, l10n.t('Deregistration protection'));
  if (!images?.length) return undefined;
  const choice = await services.prompts.pickOne(
    [
      { label: l10n.t('Protect'), description: l10n.t('deregistering is refused until protection is turned off'), value: 'enabled' },
      { label: l10n.t('Protect with 24-hour cooldown'), description: l10n.t('after turning it off, still protected for 24 hours'), value: 'enabled-with-cooldown' },
      { label: l10n.t('Turn protection off'), value: 'disabled' },
    ],
    { title: l10n.t('Deregistration protection of {0}', nameSelection(images)) },
  );
  if (!choice) return undefined;
  return setImagesProtection(services, images, choice !== 'disabled', choice === 'enabled-with-cooldown', { interactive: true });
}

const IMAGE_FIELDS = ['profile', 'region', 'imageIds'];

async function imagesOfCall(services: Services, call: Invocation, command: string, title: string, fields = IMAGE_FIELDS): Promise<ImageRef[] | undefined> {
  if (call.kind === 'script') return imagesOfArgument(call.argument.only(...fields));
  return imagesOf(services, call, command, title);
}

/** amiSharing.disableImage `{ profile, region, imageIds }`: the launch permissions it removes are logged first. */
export async function disableImage(services: Services, call: Invocation): Promise<ActionResults | undefined> {
  const images = await imagesOfCall(services, call, 'amiSharing.disableImage', l10n.t('Disable AMI'));
  return images?.length ? disableImages(services, images, { interactive: call.kind !== 'script' }) : undefined;
}

/** The launch permissions the newest logged DisableImage of this AMI removed (what Enable offers to restore). */
async function removedByDisable(services: Services, image: ImageRef): Promise<LaunchPermission[]> {
  const { results } = await services.changeLog.history();
  const disables = results
    .filter((r) => r.ok && r.setting?.name === 'state' && r.setting.after === 'disabled' && r.imageId === image.imageId && r.profile === image.profile && r.region === image.region)
    .sort((a, b) => b.time.localeCompare(a.time));
  return disables[0]?.applied.remove ?? [];
}

/**
 * amiSharing.enableImage `{ profile, region, imageIds }`. EC2 does not give recipients their access back;
 * when the change log knows what disabling removed, it offers to restore exactly that in the same change.
 */
export async function enableImage(services: Services, call: Invocation): Promise<ActionResults | undefined> {
  const images = await imagesOfCall(services, call, 'amiSharing.enableImage', l10n.t('Enable AMI'));
  if (!images?.length) return undefined;
  const removed = await Promise.all(images.map(async (image) => ({ image, restore: await removedByDisable(services, image) })));
  const withPermissions = removed.filter((r) => r.restore.length > 0);
  let restore = false;
  if (withPermissions.length) {
    const names = services.settings().accountNames;
    const detail = withPermissions.map((r) => `${r.image.imageId}: ${r.restore.map((p) => describePermission(p, names)).join(', ')}`).join('\n');
    const choice = await services.prompts.choose(
      l10n.t('Restore the launch permissions disabling removed?'),
      l10n.t('Enabling does not give recipients their access back. The change log has what disabling removed:\n{0}', detail),
      [l10n.t('Restore them'), l10n.t('Enable only')],
    );
    if (choice === undefined) throw new ChangeCancelled();
    restore = choice === l10n.t('Restore them');
  }
  return enableImages(services, removed.map((r) => ({ image: r.image, restore: restore ? r.restore : [] })), { interactive: call.kind !== 'script' });
}

/** amiSharing.deregisterImage `{ profile, region, imageIds, deleteSnapshots?: boolean }`: refused under protection; not undoable. */
export async function deregisterImage(services: Services, call: Invocation): Promise<ActionResults | undefined> {
  const command = 'amiSharing.deregisterImage';
  const images = await imagesOfCall(services, call, command, l10n.t('Deregister AMI'), [...IMAGE_FIELDS, 'deleteSnapshots']);
  if (!images?.length) return undefined;
  let deleteSnapshots = call.kind === 'script' ? call.argument.flag('deleteSnapshots') : false;
  if (call.kind !== 'script') {
    const choice = await services.prompts.choose(
      l10n.t('Deregister {0}?', nameSelection(images)),
      l10n.t('Deregistering cannot be undone. Its snapshots can be deleted with it (EC2 keeps any another AMI uses) or kept (they keep costing).'),
      [l10n.t('Deregister and delete snapshots'), l10n.t('Deregister, keep snapshots')],
    );
    if (choice === undefined) return undefined;
    deleteSnapshots = choice === l10n.t('Deregister and delete snapshots');
  }
  return deregisterImages(services, images, deleteSnapshots, { interactive: call.kind !== 'script' });
}


/**
 * amiSharing.promoteImage `{ profile, region, fromImageId, toImageId, regions?, includeSnapshots?, deprecatePreviousAt?, unsharePrevious? }`
 * → `{ changeId?, results: [{ region, fromImageId, toImageId, ok, before, after, error? }] }`. Script calls only for now.
 */
export async function promoteImage(services: Services, call: Invocation): Promise<{ changeId?: string; results: PromoteResult[] } | undefined> {
  const command = 'amiSharing.promoteImage';
  if (call.kind !== 'script') throw new ArgumentError(l10n.t('{0}: pass an argument object { profile, region, fromImageId, toImageId, … } (see the README).', command));
  const argument = call.argument.only('profile', 'region', 'fromImageId', 'toImageId', 'regions', 'includeSnapshots', 'deprecatePreviousAt', 'unsharePrevious');
  const regions = argument.optionalList('regions', REGION_NAME);
  const deprecateAt = argument.optionalText('deprecatePreviousAt');
  const fromImageId = argument.text('fromImageId', IMAGE_ID);
  const toImageId = argument.text('toImageId', IMAGE_ID);
  if (fromImageId === toImageId) throw new ArgumentError(l10n.t('{0}: "fromImageId" and "toImageId" must be two different AMIs.', command));
  return promote(services, {
    profile: argument.text('profile', PROFILE_NAME),
    region: argument.text('region', REGION_NAME),
    fromImageId,
    toImageId,
    ...(regions ? { regions } : {}),
    includeSnapshots: argument.flag('includeSnapshots'),
    ...(deprecateAt ? { deprecatePreviousAt: parseDeprecateAt(command, deprecateAt) } : {}),
    unsharePrevious: argument.flag('unsharePrevious'),
    interactive: false,
  });
}

/**
 * "Promote from previous version…" on an owned AMI: proposes the newest older AMI of the same family
 * (the name without its trailing date or version), says how it matched, and shows the whole plan.
 */
export async function promoteFromPrevious(services: Services, call: Invocation): Promise<{ changeId?: string; results: PromoteResult[] } | undefined> {
  const command = 'amiSharing.promoteFromPrevious';
  if (call.kind !== 'nodes') throw new ArgumentError(l10n.t('{0}: run it on an AMI under My AMIs; scripts use amiSharing.promoteImage.', command));
  const [node] = call.nodes;
  if (call.nodes.length !== 1 || node?.kind !== 'image' || !node.owned) throw new ArgumentError(l10n.t('{0}: select one AMI you own (under My AMIs).', command));
  const [aws, gateway] = await Promise.all([loadAws(), services.gateway.get()]);
  const owned = await aws.listImages(gateway, { profile: node.profile, region: node.region }, 'owned');
  const current = owned.find((i) => i.imageId === node.image.imageId) ?? node.image;
  const previous = previousVersionOf(current, owned);
  if (!previous) {
    throw new Error(l10n.t('No previous version of {0} found in {1}: no older AMI of yours has the same name without its trailing date or version.', current.name, node.region));
  }
  const choice = await services.prompts.pickOne(
    [
      { label: previous.image.name, description: previous.image.imageId, detail: l10n.t('Matched by {0}', previous.how), value: 'promote' },
      { label: l10n.t('Cancel'), value: 'cancel' },
    ],
    { title: l10n.t('Promote {0} from its previous version', current.name), placeHolder: l10n.t('The previous version whose recipients the new one gets') },
  );
  if (choice !== 'promote') return undefined;
  // Every Region the tree shows for the profile: the pair is found there by name, or the Region is reported.
  const regions = (services.regionStore.get(node.profile) ?? []).filter((r) => r !== node.region);
  return promote(services, { profile: node.profile, region: node.region, fromImageId: previous.image.imageId, toImageId: current.imageId, matched: previous.how, interactive: true, ...(regions.length ? { regions } : {}) });
}

/** One AMI by its ID, several by their number. */
function nameSelection(images: readonly { imageId: string }[]): string {
  return images.length === 1 ? images[0]!.imageId : l10n.t('{0} AMIs', images.length);
}
