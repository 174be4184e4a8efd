import { kmsError, kmsSuccess, type AwsResponse } from '../envelopes';
import { ApiError } from '../errors';
import type { OrganizationMembership } from '../fixture/fixture';
import type { Caller } from '../sts/identity';
import { aliasArn, kmsErrors, PREDEFINED_AWS_ALIASES, resolveKey, resolveKeyIdOrArn } from './kmsKeys';
import { policyAllows, policyProblem } from './kmsPolicy';
import { kmsKeyArn, type EndpointState, type KmsKeyRecord } from '../state';

/**
 * KMS over AWS JSON 1.1 (`X-Amz-Target: TrentService.<Operation>`): the key lookups and key-policy
 * calls AMI sharing needs. Keys are symmetric ENCRYPT_DECRYPT keys; cryptographic operations and
 * grants are not implemented.
 */

export interface KmsContext {
  state: EndpointState;
  caller: Caller;
  organization?: OrganizationMembership | undefined;
  region: string;
  /** The request's JSON body. */
  input: Record<string, unknown>;
}

type KmsHandler = (context: KmsContext) => unknown;

const DEFAULT_POLICY_NAME = 'default';

function epochSeconds(iso: string): number {
  return Date.parse(iso) / 1000;
}

function optionalString(context: KmsContext, member: string, wireName: string): string | undefined {
  const value = context.input[member];
  if (value === undefined || value === null) {
    return undefined;
  }
  if (typeof value !== 'string') {
    throw kmsErrors.serialization(`STRING_VALUE can not be converted to a String at '${wireName}'`);
  }
  return value;
}

function requiredString(context: KmsContext, member: string, wireName: string): string {
  const value = optionalString(context, member, wireName);
  if (value === undefined || value === '') {
    throw kmsErrors.required(wireName);
  }
  return value;
}

/** The caller may use this key for `action` when the key policy says so (same account or not). */
function authorize(context: KmsContext, key: KmsKeyRecord, action: string): void {
  const allowed = policyAllows(key.policy, {
    accountId: context.caller.accountId,
    callerArn: context.caller.arn,
    organization: context.organization,
    action,
  });
  if (!allowed) {
    throw kmsErrors.accessDenied(context.caller.arn, action, kmsKeyArn(key));
  }
}

/** Operations KMS does not support across accounts: a key ARN of another account is refused. */
function ownKey(context: KmsContext, key: KmsKeyRecord, action: string): void {
  if (key.ownerId !== context.caller.accountId) {
    throw kmsErrors.accessDenied(context.caller.arn, action, kmsKeyArn(key));
  }
}

/** PolicyName: pattern `[\w]+`, 1–128 characters (API reference); `default` is the only policy there is. */
function policyName(context: KmsContext): string {
  const name = optionalString(context, 'PolicyName', 'policyName') ?? DEFAULT_POLICY_NAME;
  if (!/^\w{1,128}$/.test(name)) {
    throw kmsErrors.validation(
      `1 validation error detected: Value '${name}' at 'policyName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w]+`,
    );
  }
  if (name !== DEFAULT_POLICY_NAME) {
    // The API reference names no error for this; moto answers NotFoundException "No such policy exists" (unverified).
    throw kmsErrors.noSuchPolicy();
  }
  return name;
}

function keyMetadata(key: KmsKeyRecord): Record<string, unknown> {
  return {
    AWSAccountId: key.ownerId,
    KeyId: key.keyId,
    Arn: kmsKeyArn(key),
    CreationDate: epochSeconds(key.creationDate),
    Enabled: key.keyState === 'Enabled',
    Description: key.description,
    KeyUsage: 'ENCRYPT_DECRYPT',
    KeyState: key.keyState,
    Origin: 'AWS_KMS',
    KeyManager: key.keyManager,
    CustomerMasterKeySpec: 'SYMMETRIC_DEFAULT',
    KeySpec: 'SYMMETRIC_DEFAULT',
    EncryptionAlgorithms: ['SYMMETRIC_DEFAULT'],
    MultiRegion: false,
  };
}

/** Limit + Marker paging; the marker is an opaque offset. */
function page<T>(
  context: KmsContext,
  items: T[],
  maxLimit: number,
  defaultLimit = 100,
): { items: T[]; Truncated: boolean; NextMarker?: string } {
  const rawLimit = context.input.Limit;
  let limit = defaultLimit;
  if (rawLimit !== undefined && rawLimit !== null) {
    if (typeof rawLimit !== 'number' || !Number.isInteger(rawLimit) || rawLimit < 1 || rawLimit > maxLimit) {
      throw kmsErrors.validation(
        `1 validation error detected: Value '${String(rawLimit)}' at 'limit' failed to satisfy constraint: Member must have value between 1 and ${maxLimit}`,
      );
    }
    limit = rawLimit;
  }
  const marker = optionalString(context, 'Marker', 'marker');
  let offset = 0;
  if (marker !== undefined) {
    const decoded = /^kms-offset:(\d+)$/.exec(Buffer.from(marker, 'base64').toString('utf8'));
    if (!decoded) {
      throw kmsErrors.invalidMarker();
    }
    offset = Number(decoded[1]);
  }
  const slice = items.slice(offset, offset + limit);
  const next = offset + limit;
  return next < items.length
    ? { items: slice, Truncated: true, NextMarker: Buffer.from(`kms-offset:${next}`).toString('base64') }
    : { items: slice, Truncated: false };
}

const describeKey: KmsHandler = (context) => {
  const key = resolveKey(context.state, requiredString(context, 'KeyId', 'keyId'), context.caller.accountId, context.region);
  authorize(context, key, 'kms:DescribeKey');
  return { KeyMetadata: keyMetadata(key) };
};

const listKeys: KmsHandler = (context) => {
  const keys = context.state
    .kmsKeys({ accountId: context.caller.accountId, region: context.region })
    .sort((a, b) => a.keyId.localeCompare(b.keyId));
  const { items, ...paging } = page(context, keys, 1000);
  return { Keys: items.map((key) => ({ KeyId: key.keyId, KeyArn: kmsKeyArn(key) })), ...paging };
};

interface AliasEntry {
  AliasName: string;
  AliasArn: string;
  TargetKeyId?: string;
  CreationDate?: number;
  LastUpdatedDate?: number;
}

const listAliases: KmsHandler = (context) => {
  const { state, caller, region } = context;
  const keyIdParam = optionalString(context, 'KeyId', 'keyId');
  let keys = state.kmsKeys({ accountId: caller.accountId, region });
  if (keyIdParam !== undefined) {
    const key = resolveKeyIdOrArn(state, keyIdParam, caller.accountId, region);
    ownKey(context, key, 'kms:ListAliases');
    keys = [key];
  }
  const entries: AliasEntry[] = keys.flatMap((key) =>
    key.aliases.map((aliasName) => ({
      AliasName: aliasName,
      AliasArn: aliasArn(region, caller.accountId, aliasName),
      TargetKeyId: key.keyId,
      CreationDate: epochSeconds(key.creationDate),
      LastUpdatedDate: epochSeconds(key.creationDate),
    })),
  );
  if (keyIdParam === undefined) {
    // Like KMS: predefined AWS aliases are listed even before their AWS managed key exists.
    for (const aliasName of PREDEFINED_AWS_ALIASES) {
      if (!entries.some((entry) => entry.AliasName === aliasName)) {
        entries.push({ AliasName: aliasName, AliasArn: aliasArn(region, caller.accountId, aliasName) });
      }
    }
  }
  entries.sort((a, b) => a.AliasName.localeCompare(b.AliasName));
  const { items, ...paging } = page(context, entries, 100, 50);
  return { Aliases: items, ...paging };
};

const getKeyPolicy: KmsHandler = (context) => {
  const key = resolveKeyIdOrArn(context.state, requiredString(context, 'KeyId', 'keyId'), context.caller.accountId, context.region);
  ownKey(context, key, 'kms:GetKeyPolicy');
  const name = policyName(context);
  authorize(context, key, 'kms:GetKeyPolicy');
  return { Policy: key.policy, PolicyName: name };
};

const listKeyPolicies: KmsHandler = (context) => {
  const key = resolveKeyIdOrArn(context.state, requiredString(context, 'KeyId', 'keyId'), context.caller.accountId, context.region);
  ownKey(context, key, 'kms:ListKeyPolicies');
  authorize(context, key, 'kms:ListKeyPolicies');
  return { PolicyNames: [DEFAULT_POLICY_NAME], Truncated: false };
};

const putKeyPolicy: KmsHandler = (context) => {
  const { state, caller, region } = context;
  const key = resolveKeyIdOrArn(state, requiredString(context, 'KeyId', 'keyId'), caller.accountId, region);
  const policy = requiredString(context, 'Policy', 'policy');
  ownKey(context, key, 'kms:PutKeyPolicy');
  policyName(context);
  // The current policy decides; AWS managed keys never allow it.
  authorize(context, key, 'kms:PutKeyPolicy');
  const problem = policyProblem(policy);
  if (problem) {
    throw kmsErrors.malformedPolicy(problem);
  }
  const bypass = context.input.BypassPolicyLockoutSafetyCheck === true;
  const stillManageable = policyAllows(policy, {
    accountId: caller.accountId,
    callerArn: caller.arn,
    organization: context.organization,
    action: 'kms:PutKeyPolicy',
  });
  if (!bypass && !stillManageable) {
    throw kmsErrors.malformedPolicy('The new key policy will not allow you to update the key policy in the future.');
  }
  key.policy = policy;
  return {};
};

const KMS_HANDLERS: Readonly<Record<string, KmsHandler>> = {
  DescribeKey: describeKey,
  ListKeys: listKeys,
  ListAliases: listAliases,
  GetKeyPolicy: getKeyPolicy,
  ListKeyPolicies: listKeyPolicies,
  PutKeyPolicy: putKeyPolicy,
};

export const KMS_ACTIONS: readonly string[] = Object.keys(KMS_HANDLERS);

export function handleKms(action: string, context: KmsContext): AwsResponse {
  try {
    const handler = Object.hasOwn(KMS_HANDLERS, action) ? KMS_HANDLERS[action] : undefined;
    if (!handler) {
      throw kmsErrors.unknownOperation();
    }
    return kmsSuccess(handler(context));
  } catch (error) {
    if (error instanceof ApiError) {
      return kmsError(error);
    }
    return kmsError(new ApiError('KMSInternalException', `An internal error has occurred: ${String(error)}`, 500));
  }
}
