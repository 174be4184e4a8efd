import { createHash, randomBytes } from 'node:crypto';
import { stsError, stsSuccess, type AwsResponse } from '../envelopes';
import { ApiError } from '../errors';
import { MFA_TOKEN_CODE } from '../fixture/fixture';
import type { Caller } from './identity';
import { randomSecret, randomUpperId } from '../fixture/ids';
import type { QueryParams } from '../query';
import type { EndpointState } from '../state';
import { concat, node, text, type Xml } from '../xml';

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
/** IAM's default MaxSessionDuration for a role. */
export const DEFAULT_ROLE_MAX_SESSION_SECONDS = 3600;
const MIN_ROLE_ARN_LENGTH = 20;
const SESSION_NAME_PATTERN = /^[\w+=,.@-]*$/;

function getCallerIdentity({ caller }: StsContext): Xml {
  return concat(text('Arn', caller.arn), text('UserId', caller.userId), text('Account', caller.accountId));
}

/** `N validation error(s) detected: …; …` as STS words its input constraint failures. */
function validationErrors(problems: string[]): ApiError {
  const count = problems.length;
  return stsErrors.validation(`${count} validation error${count === 1 ? '' : 's'} detected: ${problems.join('; ')}`);
}

const constraint = (value: string | undefined, member: string, rule: string): string =>
  `Value ${value === undefined ? 'null' : `'${value}'`} at '${member}' failed to satisfy constraint: Member must ${rule}`;

/** AssumeRole's input constraints (API reference): RoleArn 20–2048 characters, RoleSessionName 2–64 of `[\w+=,.@-]`, DurationSeconds 900–43200. */
function validateAssumeRoleInput(params: QueryParams): { roleArn: string; sessionName: string; duration: number | undefined } {
  const problems: string[] = [];
  const roleArn = params.get('RoleArn');
  if (roleArn === undefined) {
    problems.push(constraint(roleArn, 'roleArn', 'not be null'));
  } else if (roleArn.length < MIN_ROLE_ARN_LENGTH) {
    problems.push(constraint(roleArn, 'roleArn', `have length greater than or equal to ${MIN_ROLE_ARN_LENGTH}`));
  }
  const sessionName = params.get('RoleSessionName');
  if (sessionName === undefined) {
    problems.push(constraint(sessionName, 'roleSessionName', 'not be null'));
  } else {
    if (!SESSION_NAME_PATTERN.test(sessionName)) {
      problems.push(constraint(sessionName, 'roleSessionName', 'satisfy regular expression pattern: [\\w+=,.@-]*'));
    }
    if (sessionName.length < 2) {
      problems.push(constraint(sessionName, 'roleSessionName', 'have length greater than or equal to 2'));
    } else if (sessionName.length > 64) {
      problems.push(constraint(sessionName, 'roleSessionName', 'have length less than or equal to 64'));
    }
  }
  const raw = params.get('DurationSeconds');
  let duration: number | undefined;
  if (raw !== undefined) {
    duration = Number(raw);
    if (!Number.isInteger(duration)) {
      problems.push(constraint(raw, 'durationSeconds', 'be an integer'));
    } else if (duration < MIN_SESSION_SECONDS) {
      problems.push(constraint(raw, 'durationSeconds', `have value greater than or equal to ${MIN_SESSION_SECONDS}`));
    } else if (duration > MAX_SESSION_SECONDS) {
      problems.push(constraint(raw, 'durationSeconds', `have value less than or equal to ${MAX_SESSION_SECONDS}`));
    }
  }
  if (problems.length > 0) {
    throw validationErrors(problems);
  }
  return { roleArn: roleArn ?? '', sessionName: sessionName ?? '', duration };
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
  const { roleArn, sessionName, duration: requested } = validateAssumeRoleInput(params);
  const role = state.role(roleArn);
  if (!role?.trustedAccountIds.includes(caller.accountId)) {
    throw stsErrors.accessDenied(`User: ${caller.arn} is not authorized to perform: sts:AssumeRole on resource: ${roleArn}`);
  }
  if (role.mfaRequired) {
    checkMfa(params);
  }
  const duration = requested ?? DEFAULT_SESSION_SECONDS;
  if (duration > (role.maxSessionDurationSeconds ?? DEFAULT_ROLE_MAX_SESSION_SECONDS)) {
    throw stsErrors.validation('The requested DurationSeconds exceeds the MaxSessionDuration set for this role.');
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
    const handler = Object.hasOwn(STS_HANDLERS, action) ? STS_HANDLERS[action] : undefined;
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
