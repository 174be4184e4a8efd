import type { IncomingMessage, ServerResponse } from 'node:http';
import { isPublicImage } from '../ec2/access';
import { allowedImagesProblem } from '../ec2/allowedImages';
import { isFaultKind, type FaultOptions } from './faults';
import type { AllowedImagesFixture, LaunchPermission } from '../fixture/fixture';
import { BodyTooLargeError, readBody, sendJson } from '../httpUtil';
import { parsePolicy, type PolicyDocument } from '../kms/kmsPolicy';
import { parseRegisterImageRequest, registerImage, RegisterImageError } from './controlImages';
import { applyGrantChange, launchPermissionGrants, toLaunchPermission } from '../ec2/permissionChanges';
import { resetRuntime, type EndpointRuntime } from '../runtime';
import { kmsKeyArn, type ImageRecord, type KmsKeyRecord } from '../state';

/**
 * JSON control API under /__control/, for tests running in other processes (extension host,
 * browser tests) to inspect and alter the endpoint:
 *   GET    /__control/health
 *   GET    /__control/images?accountId=&region=      images with launch permissions
 *   GET    /__control/snapshots?accountId=&region=     with createVolumePermissions
 *   GET    /__control/keys?accountId=&region=          KMS keys with aliases and key policy
 *   POST   /__control/reset                          fixture state, no faults, empty log
 *   GET    /__control/faults                         pending faults
 *   POST   /__control/faults                         body: FaultOptions ({kind, action?, accountId?, attribute?, times?}), or {"clear": true}
 *   POST   /__control/launch-permissions             body: {accountId, region, imageId, add?, remove?}
 *   POST   /__control/images                         body: {accountId, region, name, description?, state?,
 *                                                    launchPermissions?, encrypted?}: registers an AMI
 *                                                    (controlImages.ts); reset removes it
 *   GET    /__control/allowed-images?accountId=&region=   Allowed AMIs settings
 *   POST   /__control/allowed-images             body: {accountId, region, state, imageProviders?}
 *   POST   /__control/image-lifecycle            body: {accountId, region, imageId, deprecationTime?,
 *                                                    lastLaunchedTime?, protectionDisabledUntil?} (null clears)
 *   POST   /__control/image-references           body: {accountId, region, imageId, resourceType, arn}
 *   GET    /__control/requests                       request log;  DELETE clears it
 *   GET    /__control/stats
 *   GET    /__control/cpu                            the endpoint process's CPU time so far ({userMicros, systemMicros},
 *                                                    process.cpuUsage): the benchmark's CPU per request of the endpoint
 *   GET    /__control/settings
 *   POST   /__control/settings                       body: {latencyMs?, throttling?, copyDelayMs?, imageOrderSeed?}
 *                                                    (copyDelayMs null = back to the default)
 */

export const CONTROL_PREFIX = '/__control/';

class ControlError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

/** The control API's view of an image: the record, with owner and public flag spelled out. */
export interface ControlImageView {
  accountId: string;
  region: string;
  imageId: string;
  name: string;
  state: string;
  isPublic: boolean;
  creationDate: string;
  launchPermissions: LaunchPermission[];
  snapshotIds: string[];
  deprecationTime?: string;
  deregistrationProtection?: ImageRecord['deregistrationProtection'];
  lastLaunchedTime?: string;
}

function imageView(image: ImageRecord): ControlImageView {
  return {
    accountId: image.ownerId,
    region: image.region,
    imageId: image.imageId,
    name: image.name,
    state: image.state,
    isPublic: isPublicImage(image),
    creationDate: image.creationDate,
    launchPermissions: image.launchPermissions,
    snapshotIds: image.blockDeviceMappings.map((m) => m.snapshotId),
    ...(image.deprecationTime ? { deprecationTime: image.deprecationTime } : {}),
    ...(image.deregistrationProtection ? { deregistrationProtection: image.deregistrationProtection } : {}),
    ...(image.lastLaunchedTime ? { lastLaunchedTime: image.lastLaunchedTime } : {}),
  };
}

/** The control API's view of a KMS key. */
export interface ControlKeyView {
  accountId: string;
  region: string;
  keyId: string;
  arn: string;
  keyManager: string;
  keyState: string;
  description: string;
  aliases: string[];
  /** The policy text exactly as GetKeyPolicy returns it. */
  policy: string;
  /** The same, parsed (undefined if it somehow is not a policy document). */
  policyDocument: PolicyDocument | undefined;
}

function keyView(key: KmsKeyRecord): ControlKeyView {
  return {
    accountId: key.ownerId,
    region: key.region,
    keyId: key.keyId,
    arn: kmsKeyArn(key),
    keyManager: key.keyManager,
    keyState: key.keyState,
    description: key.description,
    aliases: [...key.aliases],
    policy: key.policy,
    policyDocument: parsePolicy(key.policy),
  };
}

async function readJson(req: IncomingMessage): Promise<Record<string, unknown>> {
  const body = await readBody(req);
  if (body.trim() === '') {
    return {};
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    throw new ControlError(400, 'Body is not valid JSON');
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new ControlError(400, 'Body must be a JSON object');
  }
  return parsed as Record<string, unknown>;
}

function optionalString(body: Record<string, unknown>, key: string): string | undefined {
  const value = body[key];
  if (value === undefined || value === null) {
    return undefined;
  }
  if (typeof value !== 'string') {
    throw new ControlError(400, `${key} must be a string`);
  }
  return value;
}

function requiredString(body: Record<string, unknown>, key: string): string {
  const value = optionalString(body, key);
  if (!value) {
    throw new ControlError(400, `${key} is required`);
  }
  return value;
}

function filterFrom(url: URL): { accountId?: string; region?: string } {
  const accountId = url.searchParams.get('accountId') || undefined;
  const region = url.searchParams.get('region') || undefined;
  return { ...(accountId ? { accountId } : {}), ...(region ? { region } : {}) };
}

function faultOptionsFrom(body: Record<string, unknown>): FaultOptions {
  if (!isFaultKind(body.kind)) {
    throw new ControlError(400, `kind must be one of the fault kinds, got ${JSON.stringify(body.kind)}`);
  }
  const rawTimes = body.times;
  const times = rawTimes === 'Infinity' ? Infinity : rawTimes;
  if (times !== undefined && (typeof times !== 'number' || !(times > 0))) {
    throw new ControlError(400, 'times must be a positive number or "Infinity"');
  }
  const action = optionalString(body, 'action');
  const accountId = optionalString(body, 'accountId');
  const attribute = optionalString(body, 'attribute');
  return {
    kind: body.kind,
    ...(attribute !== undefined ? { attribute } : {}),
    ...(times !== undefined ? { times } : {}),
    ...(action !== undefined ? { action } : {}),
    ...(accountId !== undefined ? { accountId } : {}),
  };
}

function permissionList(body: Record<string, unknown>, key: string): LaunchPermission[] {
  const value = body[key];
  if (value === undefined) {
    return [];
  }
  if (!Array.isArray(value)) {
    throw new ControlError(400, `${key} must be an array of launch permissions`);
  }
  return value as LaunchPermission[];
}

/** Simulates a change made elsewhere (another tool, the console): no EC2 validation, owner must match. */
function changeLaunchPermissions(runtime: EndpointRuntime, body: Record<string, unknown>): ControlImageView {
  const accountId = requiredString(body, 'accountId');
  const region = requiredString(body, 'region');
  const imageId = requiredString(body, 'imageId');
  const image = runtime.state.image(region, imageId);
  if (!image || image.ownerId !== accountId) {
    throw new ControlError(404, `No image ${imageId} owned by ${accountId} in ${region}`);
  }
  const next = applyGrantChange(launchPermissionGrants(image.launchPermissions), {
    add: launchPermissionGrants(permissionList(body, 'add')),
    remove: launchPermissionGrants(permissionList(body, 'remove')),
  });
  image.launchPermissions = next.map(toLaunchPermission);
  return imageView(image);
}

/** Allowed AMIs of an account in a Region, set as its administrator (or a declarative policy) would. */
function changeAllowedImages(runtime: EndpointRuntime, body: Record<string, unknown>): AllowedImagesFixture {
  const accountId = requiredString(body, 'accountId');
  const region = requiredString(body, 'region');
  if (!runtime.state.account(accountId)) {
    throw new ControlError(404, `No account ${accountId} in the fixture`);
  }
  const problem = allowedImagesProblem(body);
  if (problem) {
    throw new ControlError(400, problem);
  }
  const settings = { state: body.state, imageProviders: body.imageProviders ?? [] } as AllowedImagesFixture;
  runtime.state.setAllowedImages(accountId, region, settings);
  return runtime.state.allowedImages(accountId, region);
}

function optionalTime(body: Record<string, unknown>, key: string): string | null | undefined {
  const value = body[key];
  if (value === undefined || value === null) return value;
  if (typeof value !== 'string' || Number.isNaN(Date.parse(value))) {
    throw new ControlError(400, `${key} must be an ISO 8601 time or null`);
  }
  return new Date(Date.parse(value)).toISOString();
}

/**
 * Sets lifecycle fields EC2 does not let a client set directly (a deprecation time in the past, a last
 * launch, protection in its cooldown): {accountId, region, imageId, deprecationTime?, lastLaunchedTime?,
 * protectionDisabledUntil?} — null clears a field.
 */
function changeImageLifecycle(runtime: EndpointRuntime, body: Record<string, unknown>): ControlImageView {
  const accountId = requiredString(body, 'accountId');
  const region = requiredString(body, 'region');
  const imageId = requiredString(body, 'imageId');
  const image = runtime.state.image(region, imageId);
  if (!image || image.ownerId !== accountId) {
    throw new ControlError(404, `No image ${imageId} owned by ${accountId} in ${region}`);
  }
  const deprecation = optionalTime(body, 'deprecationTime');
  if (deprecation === null) delete image.deprecationTime;
  else if (deprecation !== undefined) image.deprecationTime = deprecation;
  const launched = optionalTime(body, 'lastLaunchedTime');
  if (launched === null) delete image.lastLaunchedTime;
  else if (launched !== undefined) image.lastLaunchedTime = launched;
  const until = optionalTime(body, 'protectionDisabledUntil');
  if (until === null) delete image.deregistrationProtection;
  else if (until !== undefined) image.deregistrationProtection = { enabled: false, disabledUntil: until };
  return imageView(image);
}

const REFERENCE_TYPES = new Set(['ec2:Instance', 'ec2:LaunchTemplate', 'ssm:Parameter', 'imagebuilder:ImageRecipe', 'imagebuilder:ContainerRecipe']);

/** Adds a resource of `accountId` that references an AMI: {accountId, region, imageId, resourceType, arn}. */
function addImageReference(runtime: EndpointRuntime, body: Record<string, unknown>): unknown {
  const accountId = requiredString(body, 'accountId');
  const region = requiredString(body, 'region');
  const imageId = requiredString(body, 'imageId');
  const resourceType = requiredString(body, 'resourceType');
  const arn = requiredString(body, 'arn');
  if (!REFERENCE_TYPES.has(resourceType)) {
    throw new ControlError(400, `resourceType must be one of ${[...REFERENCE_TYPES].join(', ')}`);
  }
  const list = runtime.state.imageReferences(accountId);
  list.push({ imageId, region, resourceType: resourceType as never, arn });
  return list;
}

function applySettings(runtime: EndpointRuntime, body: Record<string, unknown>): void {
  if (body.latencyMs !== undefined) {
    if (typeof body.latencyMs !== 'number' || body.latencyMs < 0) {
      throw new ControlError(400, 'latencyMs must be a non-negative number');
    }
    runtime.settings.latencyMs = body.latencyMs;
  }
  if (body.throttling !== undefined) {
    if (typeof body.throttling !== 'boolean') {
      throw new ControlError(400, 'throttling must be a boolean');
    }
    runtime.settings.throttling = body.throttling;
  }
  if (body.imageOrderSeed !== undefined) {
    if (typeof body.imageOrderSeed !== 'number' || !Number.isInteger(body.imageOrderSeed) || body.imageOrderSeed < 0) {
      throw new ControlError(400, 'imageOrderSeed must be a non-negative integer');
    }
    runtime.settings.imageOrderSeed = body.imageOrderSeed >>> 0;
  }
  if (body.copyDelayMs === null) {
    delete runtime.settings.copyDelayMs;
  } else if (body.copyDelayMs !== undefined) {
    if (typeof body.copyDelayMs !== 'number' || !(body.copyDelayMs >= 0)) {
      throw new ControlError(400, 'copyDelayMs must be a non-negative number (or null for the default)');
    }
    runtime.settings.copyDelayMs = body.copyDelayMs;
  }
}

async function route(runtime: EndpointRuntime, req: IncomingMessage, url: URL): Promise<unknown> {
  const path = url.pathname.slice(CONTROL_PREFIX.length).replace(/\/+$/, '');
  const method = req.method ?? 'GET';
  switch (`${method} ${path}`) {
    case 'GET health':
      return { ok: true };
    case 'GET images':
      return runtime.state.images(filterFrom(url)).map(imageView);
    case 'GET snapshots':
      return runtime.state.snapshots(filterFrom(url)).map((s) => ({ ...s, accountId: s.ownerId }));
    case 'GET keys':
      return runtime.state.kmsKeys(filterFrom(url)).map(keyView);
    case 'POST reset':
      resetRuntime(runtime);
      return { ok: true };
    case 'GET faults':
      return runtime.faults.pending();
    case 'POST faults': {
      const body = await readJson(req);
      if (body.clear === true) {
        runtime.faults.clear();
      } else {
        runtime.faults.inject(faultOptionsFrom(body));
      }
      return runtime.faults.pending();
    }
    case 'POST launch-permissions':
      return changeLaunchPermissions(runtime, await readJson(req));
    case 'POST images': {
      const body = await readJson(req);
      try {
        return imageView(registerImage(runtime.state, parseRegisterImageRequest(body)));
      } catch (error) {
        if (error instanceof RegisterImageError) throw new ControlError(error.status, error.message);
        throw error;
      }
    }
    case 'GET allowed-images':
      return runtime.state.allowedImages(requiredString(Object.fromEntries(url.searchParams), 'accountId'), requiredString(Object.fromEntries(url.searchParams), 'region'));
    case 'POST allowed-images':
      return changeAllowedImages(runtime, await readJson(req));
    case 'POST image-lifecycle':
      return changeImageLifecycle(runtime, await readJson(req));
    case 'POST image-references':
      return addImageReference(runtime, await readJson(req));
    case 'GET requests':
      return runtime.requests;
    case 'DELETE requests':
      runtime.requests.length = 0;
      return { ok: true };
    case 'GET stats':
      return runtime.stats;
    case 'GET buckets':
      return runtime.limiter.usage();
    case 'GET cpu': {
      const { user, system } = process.cpuUsage();
      return { userMicros: user, systemMicros: system };
    }
    case 'GET settings':
      return runtime.settings;
    case 'POST settings':
      applySettings(runtime, await readJson(req));
      return runtime.settings;
    default:
      throw new ControlError(404, `No control route ${method} ${url.pathname}`);
  }
}

export async function handleControlRequest(runtime: EndpointRuntime, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://endpoint.invalid');
  try {
    sendJson(res, 200, await route(runtime, req, url));
  } catch (error) {
    if (error instanceof ControlError) {
      sendJson(res, error.status, { error: error.message });
    } else if (error instanceof BodyTooLargeError) {
      sendJson(res, 413, { error: error.message });
    } else {
      sendJson(res, 500, { error: String(error) });
    }
  }
}
