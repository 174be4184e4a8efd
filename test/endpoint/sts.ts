import { createHash, randomBytes } from 'node:crypto';
import { stsError, stsSuccess, type AwsResponse } from './envelopes';
import { ApiError } from './errors';
import { MFA_TOKEN_CODE } from './fixture';
import type { Caller } from './identity';
import { randomSecret, randomUpperId } from './ids';
import type { QueryParams } from './query';
import type { EndpointState } from './state';
import { concat, node, text, type Xml } from './xml';

/** STS over the AWS query protocol: GetCallerIdentity and AssumeRole (with optional MFA). */

export const STS_ACTIONS: readonly string[] = ['GetCallerIdentity', 'AssumeRole'];

export interface StsContext {
  state: EndpointState;
  caller: Caller;
  params: QueryParams;
  now: Date;
}

export const stsErrors = {
  invalidClientTokenId: () => new ApiError('InvalidClientTokenId', 'The security token included in the request is invalid.', 403),
  expiredToken: () => new ApiError('ExpiredToken', 'The security token included in the request is expired', 400),
  missingAuthenticationToken: () => new ApiError('MissingAuthenticationToken', 'Request is missing Authentication Token', 403),
  throttled: () => new ApiError('Throttling', 'Rate exceeded', 400),
  invalidAction: (action: string) =>
    new ApiError('InvalidAction', `Could not find operation ${action} for version 2011-06-15`, 400),
  validation: (message: string) => new ApiError('ValidationError', message, 400),
  accessDenied: (message: string) => new ApiError('AccessDenied', message, 403),
};

const DEFAULT_SESSION_SECONDS = 3600;
const MIN_SESSION_SECONDS = 900;
const MAX_SESSION_SECONDS = 43_200;
const SESSION_NAME = /^[\w+=,.@-]{2,64}$/;

function getCallerIdentity({ caller }: StsContext): Xml {
  return concat(text('Arn', caller.arn), text('UserId', caller.userId), text('Account', caller.accountId));
}

function required(params: QueryParams, name: string, memberName: string): string {
  const value = params.get(name);
  if (value === undefined || value === '') {
    throw stsErrors.validation(
      `1 validation error detected: Value null at '${memberName}' failed to satisfy constraint: Member must not be null`,
    );
  }
  return value;
}

function sessionDuration(params: QueryParams): number {
  const raw = params.get('DurationSeconds');
  if (raw === undefined) {
    return DEFAULT_SESSION_SECONDS;
  }
  const seconds = Number(raw);
  if (!Number.isInteger(seconds) || seconds < MIN_SESSION_SECONDS || seconds > MAX_SESSION_SECONDS) {
    throw stsErrors.validation(
      `1 validation error detected: Value '${raw}' at 'durationSeconds' failed to satisfy constraint: Member must have value between ${MIN_SESSION_SECONDS} and ${MAX_SESSION_SECONDS}`,
    );
  }
  return seconds;
}

function checkMfa(params: QueryParams): void {
  const serialNumber = params.get('SerialNumber');
  const tokenCode = params.get('TokenCode');
  if (!serialNumber || !tokenCode) {
    throw stsErrors.accessDenied('MultiFactorAuthentication failed, must provide both MFA serial number and one time pass code.');
  }
  if (!/^\d{6}$/.test(tokenCode)) {
    throw stsErrors.validation(
      "1 validation error detected: Value at 'tokenCode' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\d]*",
    );
  }
  if (tokenCode !== MFA_TOKEN_CODE) {
    throw stsErrors.accessDenied('MultiFactorAuthentication failed with invalid MFA one time pass code.');
  }
}

function assumeRole({ state, caller, params, now }: StsContext): Xml {
  const roleArn = required(params, 'RoleArn', 'roleArn');
  const sessionName = required(params, 'RoleSessionName', 'roleSessionName');
  if (!SESSION_NAME.test(sessionName)) {
    throw stsErrors.validation(
      `1 validation error detected: Value '${sessionName}' at 'roleSessionName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w+=,.@-]*`,
    );
  }
  const duration = sessionDuration(params);
  const role = state.role(roleArn);
  if (!role || !role.trustedAccountIds.includes(caller.accountId)) {
    throw stsErrors.accessDenied(`User: ${caller.arn} is not authorized to perform: sts:AssumeRole on resource: ${roleArn}`);
  }
  if (role.mfaRequired) {
    checkMfa(params);
  }

  const accountId = roleArn.split(':')[4] ?? '';
  const roleName = roleArn.split('/').pop() ?? roleArn;
  const roleId = `AROA${createHash('sha256').update(roleArn).digest('hex').slice(0, 17).toUpperCase()}`;
  const session = {
    accessKeyId: `ASIA${randomUpperId(16)}`,
    secretAccessKey: randomSecret(),
    sessionToken: randomBytes(96).toString('base64'),
    accountId,
    arn: `arn:aws:sts::${accountId}:assumed-role/${roleName}/${sessionName}`,
    userId: `${roleId}:${sessionName}`,
    expiration: new Date(now.getTime() + duration * 1000),
  };
  state.addSession(session);

  return concat(
    node(
      'Credentials',
      text('AccessKeyId', session.accessKeyId),
      text('SecretAccessKey', session.secretAccessKey),
      text('SessionToken', session.sessionToken),
      text('Expiration', session.expiration.toISOString()),
    ),
    node('AssumedRoleUser', text('AssumedRoleId', session.userId), text('Arn', session.arn)),
  );
}

const STS_HANDLERS: Readonly<Record<string, (context: StsContext) => Xml>> = {
  GetCallerIdentity: getCallerIdentity,
  AssumeRole: assumeRole,
};

export function handleSts(action: string, context: StsContext, requestId: string): AwsResponse {
  try {
    const handler = Object.prototype.hasOwnProperty.call(STS_HANDLERS, action) ? STS_HANDLERS[action] : undefined;
    if (!handler) {
      throw stsErrors.invalidAction(action);
    }
    return stsSuccess(action, requestId, handler(context));
  } catch (error) {
    if (error instanceof ApiError) {
      return stsError(error, requestId);
    }
    return stsError(new ApiError('InternalFailure', `An internal error has occurred: ${String(error)}`, 500), requestId);
  }
}
