import { randomBytes } from 'node:crypto';
import type { LaunchPermission } from '../fixture/fixture';
import { regionCatalogue } from '../regions';
import { kmsKeyArn, type EndpointState, type ImageRecord } from '../state';
import { ACCOUNT_ID, ORGANIZATIONAL_UNIT_ARN, ORGANIZATION_ARN } from '../ec2/validation';

/**
 * POST /__control/images: registers an AMI the way "someone else" would (another tool, another
 * account), for tests that need an AMI the fixture lacks — e.g. one whose name and description are
 * hostile text. The name is deliberately NOT checked against EC2's naming rules (descriptions accept
 * any text on AWS, and names shared from other tools must not be trusted either); it only has to be
 * non-empty and unique among the owner's AMIs in that Region. The AMI has one 8 GiB gp3 EBS volume whose
 * snapshot is unencrypted, or with `encrypted: true` encrypted with the owner's `aws/ebs` key (created in
 * that Region if missing, as EBS encryption by default does). Reset removes it: state.reset() reloads the
 * fixture.
 */
export interface RegisterImageRequest {
  accountId: string;
  region: string;
  name: string;
  description?: string;
  state?: 'available' | 'pending';
  launchPermissions?: LaunchPermission[];
  encrypted?: boolean;
  /** Encrypt the snapshot with this customer managed key of the owner in that Region (alias name without `alias/`). */
  kmsKeyAlias?: string;
  /** x86_64 unless asked (arm64 AMIs for the RunInstances architecture rule). */
  architecture?: 'x86_64' | 'arm64';
}

export class RegisterImageError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

const PERMISSION_KEYS = new Set(['UserId', 'Group', 'OrganizationArn', 'OrganizationalUnitArn']);

function validPermission(value: unknown): value is LaunchPermission {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const entries = Object.entries(value as Record<string, unknown>);
  if (entries.length !== 1) return false;
  const [key, v] = entries[0]!;
  if (!PERMISSION_KEYS.has(key) || typeof v !== 'string') return false;
  switch (key) {
    case 'UserId':
      return ACCOUNT_ID.test(v);
    case 'Group':
      return v === 'all';
    case 'OrganizationArn':
      return ORGANIZATION_ARN.test(v);
    default:
      return ORGANIZATIONAL_UNIT_ARN.test(v);
  }
}

/** Checks a JSON body; throws RegisterImageError(400) naming the first bad field. */
export function parseRegisterImageRequest(body: Record<string, unknown>): RegisterImageRequest {
  const str = (key: string, required: boolean): string | undefined => {
    const value = body[key];
    if (value === undefined || value === null) {
      if (required) throw new RegisterImageError(400, `${key} is required`);
      return undefined;
    }
    if (typeof value !== 'string' || (required && value === '')) {
      throw new RegisterImageError(400, `${key} must be a${required ? ' non-empty' : ''} string`);
    }
    return value;
  };
  const accountId = str('accountId', true)!;
  const region = str('region', true)!;
  const name = str('name', true)!;
  const description = str('description', false);
  const state = str('state', false);
  if (state !== undefined && state !== 'available' && state !== 'pending') {
    throw new RegisterImageError(400, `state must be "available" or "pending", got ${JSON.stringify(state)}`);
  }
  const permissions = body.launchPermissions;
  if (permissions !== undefined && (!Array.isArray(permissions) || !permissions.every(validPermission))) {
    throw new RegisterImageError(
      400,
      'launchPermissions must be an array of {UserId} (12 digits), {Group: "all"}, {OrganizationArn} or {OrganizationalUnitArn}',
    );
  }
  if (body.encrypted !== undefined && typeof body.encrypted !== 'boolean') {
    throw new RegisterImageError(400, 'encrypted must be a boolean');
  }
  const kmsKeyAlias = str('kmsKeyAlias', false);
  const architecture = str('architecture', false);
  if (architecture !== undefined && architecture !== 'x86_64' && architecture !== 'arm64') {
    throw new RegisterImageError(400, `architecture must be "x86_64" or "arm64", got ${JSON.stringify(architecture)}`);
  }
  return {
    accountId,
    region,
    name,
    ...(architecture !== undefined ? { architecture } : {}),
    ...(description !== undefined ? { description } : {}),
    ...(state !== undefined ? { state } : {}),
    ...(permissions !== undefined ? { launchPermissions: permissions as LaunchPermission[] } : {}),
    ...(body.encrypted !== undefined ? { encrypted: body.encrypted as boolean } : {}),
    ...(kmsKeyAlias !== undefined ? { kmsKeyAlias } : {}),
  };
}

function unusedId(state: EndpointState, prefix: 'ami' | 'snap' | 'vol'): string {
  for (;;) {
    const id = `${prefix}-${randomBytes(9).toString('hex').slice(0, 17)}`;
    if (!state.resourceIdInUse(id)) return id;
  }
}

/** Adds the AMI and its snapshot to the state; returns the image record. */
export function registerImage(state: EndpointState, request: RegisterImageRequest, now: Date = new Date()): ImageRecord {
  if (!state.account(request.accountId)) {
    throw new RegisterImageError(404, `No account ${request.accountId} in the fixture`);
  }
  if (!regionCatalogue(state.regions()).some((r) => r.regionName === request.region && r.optInStatus !== 'not-opted-in')) {
    throw new RegisterImageError(400, `Unknown or disabled Region ${request.region}`);
  }
  const duplicate = state
    .images({ accountId: request.accountId, region: request.region })
    .find((image) => image.name === request.name && image.state !== 'deregistered');
  if (duplicate) {
    throw new RegisterImageError(409, `AMI name ${request.name} is already in use by AMI ${duplicate.imageId}`);
  }
  const imageState = request.state ?? 'available';
  const imageId = unusedId(state, 'ami');
  const snapshotId = unusedId(state, 'snap');
  const customerKey = request.kmsKeyAlias !== undefined ? state.kmsKeyByAlias(request.accountId, request.region, `alias/${request.kmsKeyAlias}`) : undefined;
  if (request.kmsKeyAlias !== undefined && !customerKey) {
    throw new RegisterImageError(404, `No KMS key alias/${request.kmsKeyAlias} of ${request.accountId} in ${request.region}`);
  }
  const key = customerKey ?? (request.encrypted ? state.ensureAwsManagedEbsKey(request.accountId, request.region, now) : undefined);
  state.addSnapshot({
    snapshotId,
    ownerId: request.accountId,
    region: request.region,
    volumeId: unusedId(state, 'vol'),
    volumeSize: 8,
    state: imageState === 'pending' ? 'pending' : 'completed',
    startTime: now.toISOString(),
    description: `Created by CreateImage for ${imageId}`,
    encrypted: key !== undefined,
    ...(key ? { kmsKeyId: kmsKeyArn(key), ...(customerKey ? {} : { awsManagedKey: true }) } : {}),
    createVolumePermissions: [],
    tags: {},
  });
  const image: ImageRecord = {
    imageId,
    ownerId: request.accountId,
    region: request.region,
    name: request.name,
    ...(request.description !== undefined ? { description: request.description } : {}),
    state: imageState,
    creationDate: now.toISOString(),
    architecture: request.architecture ?? 'x86_64',
    rootDeviceName: '/dev/xvda',
    blockDeviceMappings: [{ deviceName: '/dev/xvda', snapshotId, volumeSize: 8, volumeType: 'gp3', deleteOnTermination: true }],
    launchPermissions: structuredClone(request.launchPermissions ?? []),
    tags: {},
  };
  state.addImage(image);
  return image;
}
