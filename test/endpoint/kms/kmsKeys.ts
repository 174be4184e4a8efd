import { ApiError } from '../errors';
import { kmsKeyArn, type EndpointState, type KmsKeyRecord } from '../state';

/**
 * How KMS (and EC2 on KMS's behalf) finds the key a `KeyId` names: a key id, a key ARN, an alias
 * name (`alias/NAME`) or an alias ARN. Ids and alias names are the caller's own account in the
 * request's Region; ARNs may name another account, but never another Region.
 */

export const kmsErrors = {
  notFoundKey: (arn: string) => new ApiError('NotFoundException', `Key '${arn}' does not exist`),
  notFoundAlias: (aliasArn: string) => new ApiError('NotFoundException', `Alias ${aliasArn} is not found.`),
  invalidKeyId: (value: string) => new ApiError('NotFoundException', `Invalid keyId ${value}`),
  noSuchPolicy: () => new ApiError('NotFoundException', 'No such policy exists'),
  accessDenied: (callerArn: string, action: string, keyArn: string) =>
    new ApiError(
      'AccessDeniedException',
      `User: ${callerArn} is not authorized to perform: ${action} on resource: ${keyArn} because no resource-based policy allows the ${action} action`,
    ),
  validation: (message: string) => new ApiError('ValidationException', message),
  required: (member: string) =>
    new ApiError(
      'ValidationException',
      `1 validation error detected: Value null at '${member}' failed to satisfy constraint: Member must not be null`,
    ),
  malformedPolicy: (message: string) => new ApiError('MalformedPolicyDocumentException', message),
  unknownOperation: () => new ApiError('UnknownOperationException', ''),
  serialization: (message: string) => new ApiError('SerializationException', message),
  invalidMarker: () => new ApiError('InvalidMarkerException', 'The marker that specifies where pagination should next begin is not valid.'),
  unrecognizedClient: () => new ApiError('UnrecognizedClientException', 'The security token included in the request is invalid.'),
  expiredToken: () => new ApiError('ExpiredTokenException', 'The security token included in the request is expired'),
  missingAuthentication: () => new ApiError('MissingAuthenticationTokenException', 'Missing Authentication Token'),
  throttled: () => new ApiError('ThrottlingException', 'Rate exceeded'),
};

const KEY_UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const KEY_ARN = /^arn:aws:kms:([a-z0-9-]+):(\d{12}):key\/([0-9a-f-]+)$/;
const ALIAS_NAME = /^alias\/[a-zA-Z0-9/_-]+$/;
const ALIAS_ARN = /^arn:aws:kms:([a-z0-9-]+):(\d{12}):(alias\/[a-zA-Z0-9/_-]+)$/;

/** Aliases KMS reserves for AWS managed keys that are created on first use. */
export const PREDEFINED_AWS_ALIASES = ['alias/aws/ebs'] as const;

export function aliasArn(region: string, accountId: string, aliasName: string): string {
  return `arn:aws:kms:${region}:${accountId}:${aliasName}`;
}

export interface KeyReference {
  accountId: string;
  region: string;
  /** Exactly one of these. */
  keyId?: string;
  aliasName?: string;
  /** Whether the reference was an ARN (the only form that can reach another account). */
  isArn: boolean;
}

/** Parses a KeyId; undefined when it is none of the four forms. */
export function parseKeyReference(value: string, callerAccountId: string, region: string): KeyReference | undefined {
  if (KEY_UUID.test(value)) {
    return { accountId: callerAccountId, region, keyId: value, isArn: false };
  }
  if (ALIAS_NAME.test(value)) {
    return { accountId: callerAccountId, region, aliasName: value, isArn: false };
  }
  const key = KEY_ARN.exec(value);
  if (key) {
    return { region: key[1] ?? '', accountId: key[2] ?? '', keyId: key[3] ?? '', isArn: true };
  }
  const alias = ALIAS_ARN.exec(value);
  if (alias) {
    return { region: alias[1] ?? '', accountId: alias[2] ?? '', aliasName: alias[3] ?? '', isArn: true };
  }
  return undefined;
}

/**
 * The key a KeyId names, as seen from `region`. A predefined AWS alias of the caller's own account
 * with no key yet (`alias/aws/ebs`) creates the AWS managed key, as DescribeKey does in KMS.
 * Throws NotFoundException otherwise.
 */
export function resolveKey(state: EndpointState, value: string, callerAccountId: string, region: string): KmsKeyRecord {
  const reference = parseKeyReference(value, callerAccountId, region);
  if (!reference) {
    throw kmsErrors.invalidKeyId(value);
  }
  if (reference.keyId !== undefined) {
    const key = reference.region === region ? state.kmsKey(reference.accountId, region, reference.keyId) : undefined;
    if (!key) {
      throw kmsErrors.notFoundKey(`arn:aws:kms:${reference.region}:${reference.accountId}:key/${reference.keyId}`);
    }
    return key;
  }
  const aliasName = reference.aliasName ?? '';
  const notFound = kmsErrors.notFoundAlias(aliasArn(reference.region, reference.accountId, aliasName));
  if (reference.region !== region) {
    throw notFound;
  }
  const key = state.kmsKeyByAlias(reference.accountId, region, aliasName);
  if (key) {
    return key;
  }
  if (aliasName === 'alias/aws/ebs' && reference.accountId === callerAccountId && state.account(callerAccountId)) {
    return state.ensureAwsManagedEbsKey(callerAccountId, region);
  }
  throw notFound;
}

/**
 * For operations whose KeyId is documented as "the key ID or key ARN" only (GetKeyPolicy,
 * PutKeyPolicy, ListKeyPolicies, ListAliases): an alias name or alias ARN is refused the way KMS
 * refuses a KeyId it cannot use, NotFoundException "Invalid keyId …" (DescribeKey and EC2 accept aliases).
 */
export function resolveKeyIdOrArn(state: EndpointState, value: string, callerAccountId: string, region: string): KmsKeyRecord {
  const reference = parseKeyReference(value, callerAccountId, region);
  if (!reference || reference.keyId === undefined) {
    throw kmsErrors.invalidKeyId(value);
  }
  return resolveKey(state, value, callerAccountId, region);
}

export { kmsKeyArn };
