/** Turns SDK and network errors into short messages that say what to do next. */

import * as l10n from '@vscode/l10n';
import { redactSecrets } from './redact';

export interface ErrorContext {
  operation: string;
  /** Set when the failure happened while resolving the profile's credentials (role, MFA, SSO, process). */
  resolvingCredentials?: boolean;
  profile: string;
  region?: string;
  imageId?: string;
}

export interface DescribedError {
  code: string;
  message: string;
  requestId?: string;
  /** The raw service message, for the log only. */
  raw: string;
  /** True when the credentials themselves failed (the whole profile is affected). */
  credentialProblem: boolean;
  /** An SSO profile whose token expired: the user should run `aws sso login`. */
  ssoLoginNeeded: boolean;
}

interface ErrorLike {
  name?: unknown;
  code?: unknown;
  Code?: unknown;
  message?: unknown;
  $metadata?: { requestId?: string; httpStatusCode?: number };
  $response?: { statusCode?: number };
}

const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ENOTFOUND', 'EAI_AGAIN', 'ETIMEDOUT', 'EPIPE', 'TimeoutError']);

export function errorCode(error: unknown): string {
  const e = (error ?? {}) as ErrorLike;
  for (const candidate of [e.Code, e.code, e.name]) {
    if (typeof candidate === 'string' && candidate && candidate !== 'Error') return candidate;
  }
  return 'Error';
}

function rawMessage(error: unknown): string {
  if (error instanceof Error) return error.message;
  const e = (error ?? {}) as ErrorLike;
  return typeof e.message === 'string' ? e.message : String(error);
}

export function describeAwsError(error: unknown, context: ErrorContext): DescribedError {
  const code = errorCode(error);
  // Classification reads the SDK's text as it is; everything handed out (message, raw) is redacted.
  const unredacted = rawMessage(error);
  const raw = redactSecrets(unredacted);
  const meta = ((error ?? {}) as ErrorLike).$metadata;
  const where = context.region ? `${context.profile} / ${context.region}` : context.profile;
  const image = context.imageId ?? 'the AMI';
  const result = (message: string, flags: Partial<Pick<DescribedError, 'credentialProblem' | 'ssoLoginNeeded'>> = {}): DescribedError => {
    const described: DescribedError = {
      code,
      message: redactSecrets(message),
      raw,
      credentialProblem: flags.credentialProblem ?? false,
      ssoLoginNeeded: flags.ssoLoginNeeded ?? false,
    };
    if (meta?.requestId) described.requestId = meta.requestId;
    return described;
  };

  if (context.resolvingCredentials && !isSsoTokenProblem(code, unredacted)) {
    const why = code === 'AccessDenied' ? l10n.t('access denied (check the role trust policy and the MFA code)') : firstSentence(raw) || code;
    return result(l10n.t('Could not get credentials for profile "{0}": {1}', context.profile, why), { credentialProblem: true });
  }
  if (isSsoTokenProblem(code, unredacted)) {
    return result(l10n.t('The SSO session for profile "{0}" has expired or was never started. Run "aws sso login --profile {0}".', context.profile), {
      credentialProblem: true,
      ssoLoginNeeded: true,
    });
  }
  if (code === 'CredentialsProviderError' || /Could not load credentials|Unable to load credentials|Profile .* (could not be found|not found)/i.test(unredacted)) {
    return result(l10n.t('No usable credentials for profile "{0}": {1}', context.profile, firstSentence(raw)), { credentialProblem: true });
  }
  switch (code) {
    case 'AuthFailure':
    case 'InvalidClientTokenId':
    case 'SignatureDoesNotMatch':
    case 'UnrecognizedClientException':
      return result(l10n.t('AWS rejected the credentials of profile "{0}". Check the access key, or sign in again.', context.profile), { credentialProblem: true });
    case 'ExpiredToken':
    case 'ExpiredTokenException':
    case 'RequestExpired':
      return result(l10n.t('The credentials of profile "{0}" have expired (or the clock is off). Refresh them and retry.', context.profile), { credentialProblem: true });
    case 'AccessDenied':
      if (context.operation === 'AssumeRole') {
        return result(l10n.t('Profile "{0}" could not assume its role: access denied (check the role\'s trust policy and the MFA code).', context.profile), { credentialProblem: true });
      }
      return result(l10n.t('Access denied in {0}: the profile\'s IAM policy does not allow {1}.', where, iamAction(context.operation)));
    case 'UnauthorizedOperation':
      return result(l10n.t('Not authorized in {0}: the profile\'s IAM policy must allow {1}.', where, iamAction(context.operation)));
    case 'RequestLimitExceeded':
    case 'Throttling':
    case 'ThrottlingException':
      return result(l10n.t('EC2 is throttling requests in {0}; the request was retried and still throttled. Try again in a minute.', where));
    case 'InvalidAMIID.NotFound':
      return result(
        context.region
          ? l10n.t('{0} was not found in {1}. Is it in another Region, deregistered, or only just created?', image, context.region)
          : l10n.t('{0} was not found in this Region. Is it in another Region, deregistered, or only just created?', image),
      );
    case 'InvalidAMIID.Malformed':
      return result(l10n.t('{0} is not a valid AMI ID (expected "ami-" followed by 8 or 17 hexadecimal characters).', image));
    case 'InvalidAMIID.Unavailable':
      return result(l10n.t('{0} is not available (still pending, or deregistered). Only available AMIs can be shared.', image));
    case 'InvalidAMIAttributeItemValue':
      return result(l10n.t('EC2 refused a launch permission value: {0} Account IDs are 12 digits; only "all" is a valid group.', firstSentence(raw)));
    case 'ResourceLimitExceeded':
      // EC2 uses this code for more than one quota (5 public AMIs per Region is the documented one): say which from its message.
      if (/public/i.test(unredacted)) return result(l10n.t('{0} cannot be made public: the account has reached its quota of public AMIs in this Region (5 by default). {1}', image, raw));
      if (/launch ?permission|entit/i.test(unredacted)) return result(l10n.t('{0} would exceed the quota of 1,000 launch-permission entities (accounts, organizations and OUs) per AMI per Region.', image));
      return result(l10n.t('{0}: an EC2 quota was reached ({1}).', image, raw));
    case 'InvalidParameter':
      if (/AWS Managed CMK|default key/i.test(unredacted)) {
        return result(l10n.t('{0} has snapshots encrypted with the AWS managed key (aws/ebs), which cannot be shared. Copy the AMI with a customer managed key and share the copy.', image));
      }
      return result(l10n.t('EC2 rejected a parameter: {0}', firstSentence(raw)));
    case 'OperationNotPermitted':
      return result(l10n.t('EC2 does not permit this: {0}', firstSentence(raw)));
    case 'InvalidAction':
      // An older or EC2-compatible server without the call: say so, the rest of the extension keeps working.
      return result(l10n.t('The endpoint for {0} does not support {1} (InvalidAction). Other actions keep working.', where, context.operation));
    case 'DryRunOperation':
      return result(l10n.t('Dry run succeeded: the request would have worked.'));
    case 'InvalidPaginationToken':
      return result(l10n.t('The listing in {0} changed while it was being read. Refresh to load it again.', where));
  }
  if (NETWORK_CODES.has(code) || /ECONNREFUSED|ENOTFOUND|socket hang up|ECONNRESET|timed? ?out/i.test(unredacted)) {
    return result(l10n.t('Could not reach the AWS endpoint for {0} ({1}). Check the network, proxy or endpoint_url.', where, networkReason(code, unredacted)));
  }
  const status = meta?.httpStatusCode ?? ((error ?? {}) as ErrorLike).$response?.statusCode;
  if (status !== undefined && status >= 500) {
    return result(l10n.t('AWS returned a server error (HTTP {0}) in {1}. It was retried; try again shortly.', status, where));
  }
  if (/Deserialization error|Unexpected (token|end)|not valid XML|char '.'|Non-whitespace before first tag|Invalid character/i.test(unredacted)) {
    return result(
      status
        ? l10n.t('The endpoint for {0} sent a response that is not valid AWS XML (HTTP {1}). Is endpoint_url pointing at an EC2 API?', where, status)
        : l10n.t('The endpoint for {0} sent a response that is not valid AWS XML. Is endpoint_url pointing at an EC2 API?', where),
    );
  }
  return result(l10n.t('{0} failed in {1}: {2}', context.operation, where, firstSentence(raw) || code));
}

function isSsoTokenProblem(code: string, raw: string): boolean {
  return (
    /SSO.*(token|session).*(expired|invalid|not found)|Token is expired|aws sso login|The SSO session associated with this profile/i.test(raw) ||
    code === 'UnauthorizedException' && /sso/i.test(raw)
  );
}

function firstSentence(text: string): string {
  const trimmed = text.replace(/\s+/g, ' ').trim();
  return trimmed.length > 240 ? `${trimmed.slice(0, 237)}…` : trimmed;
}

function networkReason(code: string, raw: string): string {
  if (/ECONNREFUSED/.test(raw) || code === 'ECONNREFUSED') return l10n.t('connection refused');
  if (/ENOTFOUND|EAI_AGAIN/.test(raw) || code === 'ENOTFOUND') return l10n.t('host not found');
  if (/time/i.test(raw) || code === 'TimeoutError') return l10n.t('timed out');
  return l10n.t('connection failed');
}

export function iamAction(operation: string): string {
  const service = /CallerIdentity|AssumeRole/.test(operation) ? 'sts' : /Key|Alias/.test(operation) ? 'kms' : 'ec2';
  return `${service}:${operation}`;
}
