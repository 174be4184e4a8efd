import { canRestoreSnapshot, isPublicSnapshot } from './access';
import type { Ec2Context, Ec2Handler } from './ec2Context';
import { renderCreateVolumePermission, renderSnapshot } from './ec2Render';
import { ApiError, ec2Errors } from '../errors';
import { applyFilters, readFilters, type FieldReader } from './filters';
import { paginate } from './paging';
import {
  applyGrantChange,
  readGrantChange,
  toCreateVolumePermission,
  VOLUME_PERMISSION_KINDS,
  volumePermissionGrants,
  type GrantChange,
} from './permissionChanges';
import type { SnapshotRecord } from '../state';
import { ACCOUNT_ID, SNAPSHOT_ID } from './validation';
import { concat, itemList, text } from '../xml';

const SNAPSHOT_FILTER_FIELDS: Record<string, FieldReader<SnapshotRecord>> = {
  'snapshot-id': (s) => s.snapshotId,
  'owner-id': (s) => s.ownerId,
  status: (s) => s.state,
  encrypted: (s) => String(s.encrypted),
  'volume-id': (s) => s.volumeId,
  'volume-size': (s) => String(s.volumeSize),
  description: (s) => s.description,
  'kms-key-id': (s) => s.kmsKeyId,
};

function matchesRestorableBy(snapshot: SnapshotRecord, user: string, callerAccountId: string): boolean {
  if (user === 'all') {
    return isPublicSnapshot(snapshot);
  }
  const accountId = user === 'self' ? callerAccountId : user;
  return snapshot.ownerId === accountId || snapshot.createVolumePermissions.some((p) => p.UserId === accountId);
}

function findSnapshots(visible: SnapshotRecord[], snapshotIds: string[]): SnapshotRecord[] {
  for (const id of snapshotIds) {
    if (!SNAPSHOT_ID.test(id)) {
      throw ec2Errors.snapshotMalformed(id);
    }
  }
  const found = visible.filter((s) => snapshotIds.includes(s.snapshotId));
  const missing = snapshotIds.find((id) => !found.some((s) => s.snapshotId === id));
  if (missing) {
    throw ec2Errors.snapshotNotFound(missing);
  }
  return found;
}

export const describeSnapshots: Ec2Handler = ({ state, caller, region, params }) => {
  const snapshotIds = params.list('SnapshotId');
  const owners = params.list('Owner');
  const restorableBy = params.list('RestorableBy');
  const filters = readFilters(params);
  if (snapshotIds.length > 0 && params.has('MaxResults')) {
    throw ec2Errors.invalidParameterCombination('The parameter snapshotSet cannot be used with the parameter maxResults');
  }
  let snapshots = state.snapshots({ region }).filter((s) => canRestoreSnapshot(s, caller.accountId));
  if (snapshotIds.length > 0) {
    snapshots = findSnapshots(snapshots, snapshotIds);
  }
  if (owners.length > 0) {
    snapshots = snapshots.filter((s) => owners.some((o) => (o === 'self' ? caller.accountId : o) === s.ownerId));
  }
  if (restorableBy.length > 0) {
    snapshots = snapshots.filter((s) => restorableBy.some((user) => matchesRestorableBy(s, user, caller.accountId)));
  }
  snapshots = applyFilters(snapshots, filters, SNAPSHOT_FILTER_FIELDS, (s) => s.tags);
  snapshots.sort((a, b) => a.snapshotId.localeCompare(b.snapshotId));
  const page = paginate('DescribeSnapshots', snapshots, params);
  return concat(itemList('snapshotSet', page.items, renderSnapshot), text('nextToken', page.nextToken));
};

function ownedSnapshot(context: Ec2Context): SnapshotRecord {
  const snapshotId = context.params.get('SnapshotId');
  if (!snapshotId) {
    throw ec2Errors.missingParameter('SnapshotId');
  }
  if (!SNAPSHOT_ID.test(snapshotId)) {
    throw ec2Errors.snapshotMalformed(snapshotId);
  }
  const snapshot = context.state.snapshot(context.region, snapshotId);
  if (!snapshot || !canRestoreSnapshot(snapshot, context.caller.accountId)) {
    throw ec2Errors.snapshotNotFound(snapshotId);
  }
  if (snapshot.ownerId !== context.caller.accountId) {
    throw ec2Errors.notAuthorizedForSnapshot(snapshotId);
  }
  return snapshot;
}

function requireCreateVolumePermissionAttribute(context: Ec2Context, required: boolean): void {
  const attribute = context.params.get('Attribute');
  if (attribute === undefined && !required) {
    return;
  }
  if (attribute === undefined) {
    throw ec2Errors.missingParameter('Attribute');
  }
  if (attribute !== 'createVolumePermission') {
    throw ec2Errors.invalidParameterValue(
      `Value (${attribute}) for parameter attribute is invalid. Only createVolumePermission is supported.`,
    );
  }
}

function validateVolumeGrants(snapshot: SnapshotRecord, change: GrantChange): void {
  for (const grant of [...change.add, ...change.remove]) {
    if (grant.kind === 'UserId' && !ACCOUNT_ID.test(grant.value)) {
      throw new ApiError('InvalidUserID.Malformed', `Invalid user id: "${grant.value}"`);
    }
    if (grant.kind === 'Group' && grant.value !== 'all') {
      throw ec2Errors.invalidParameterValue(`Value (${grant.value}) for parameter group is invalid. Only 'all' is supported.`);
    }
  }
  if (change.add.length > 0 && snapshot.awsManagedKey) {
    throw new ApiError('OperationNotPermitted', 'Encrypted snapshots with EBS default key cannot be shared');
  }
  if (snapshot.encrypted && change.add.some((g) => g.kind === 'Group')) {
    // Wording approximated; EC2 refuses to make encrypted snapshots public.
    throw new ApiError('OperationNotPermitted', 'Encrypted snapshots cannot be made public.');
  }
}

export const modifySnapshotAttribute: Ec2Handler = (context) => {
  const snapshot = ownedSnapshot(context);
  requireCreateVolumePermissionAttribute(context, false);
  const change = readGrantChange(context.params, 'CreateVolumePermission', VOLUME_PERMISSION_KINDS);
  if (!change) {
    throw ec2Errors.missingParameter('CreateVolumePermission');
  }
  validateVolumeGrants(snapshot, change);
  if (context.params.bool('DryRun')) {
    throw ec2Errors.dryRun();
  }
  // The owner needs no permission on its own snapshot: EC2 accepts its account id and does not list it.
  const effective = { ...change, add: change.add.filter((grant) => !(grant.kind === 'UserId' && grant.value === snapshot.ownerId)) };
  const next = applyGrantChange(volumePermissionGrants(snapshot.createVolumePermissions), effective);
  snapshot.createVolumePermissions = next.map(toCreateVolumePermission);
  return text('return', true);
};

export const describeSnapshotAttribute: Ec2Handler = (context) => {
  requireCreateVolumePermissionAttribute(context, true);
  const snapshot = ownedSnapshot(context);
  return concat(
    text('snapshotId', snapshot.snapshotId),
    itemList('createVolumePermission', snapshot.createVolumePermissions, renderCreateVolumePermission),
  );
};

export const resetSnapshotAttribute: Ec2Handler = (context) => {
  requireCreateVolumePermissionAttribute(context, true);
  const snapshot = ownedSnapshot(context);
  if (context.params.bool('DryRun')) {
    throw ec2Errors.dryRun();
  }
  snapshot.createVolumePermissions = [];
  return text('return', true);
};
