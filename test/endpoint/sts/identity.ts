import { createHash } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import type { EndpointState } from '../state';

/** What the SigV4 credential scope tells us; signatures are deliberately not verified. */
export interface SigningScope {
  accessKeyId: string;
  region: string;
  service: string;
}

/** The principal a request is made as. */
export interface Caller {
  accountId: string;
  arn: string;
  userId: string;
  accessKeyId: string;
}

export type CallerProblem = 'missing' | 'unknown-key' | 'expired-key' | 'expired-session' | 'bad-session-token';

export type CallerResolution = { caller: Caller } | { problem: CallerProblem };

const CREDENTIAL_SCOPE = /Credential=([^/\s,]+)\/(\d{8})\/([^/\s,]+)\/([^/\s,]+)\/aws4_request/;

/** Reads `Authorization: AWS4-HMAC-SHA256 Credential=AKID/DATE/REGION/SERVICE/aws4_request, …`. */
export function signingScope(headers: IncomingHttpHeaders, query: URLSearchParams): SigningScope | undefined {
  const fromHeader = headers.authorization ? CREDENTIAL_SCOPE.exec(headers.authorization) : null;
  // Presigned URLs carry the scope in X-Amz-Credential instead.
  const presigned = query.get('X-Amz-Credential');
  const match = fromHeader ?? (presigned ? CREDENTIAL_SCOPE.exec(`Credential=${presigned}`) : null);
  if (!match) {
    return undefined;
  }
  const [, accessKeyId, , region, service] = match;
  if (!accessKeyId || !region || !service) {
    return undefined;
  }
  return { accessKeyId, region, service };
}

/** A stable `AIDA…` unique id for an IAM user, derived from its key. */
function iamUserId(accessKeyId: string): string {
  return `AIDA${createHash('sha256').update(accessKeyId).digest('hex').slice(0, 17).toUpperCase()}`;
}

export function resolveCaller(
  state: EndpointState,
  scope: SigningScope | undefined,
  sessionToken: string | undefined,
  now: Date = new Date(),
): CallerResolution {
  if (!scope) {
    return { problem: 'missing' };
  }
  const { accessKeyId } = scope;
  if (state.isExpiredAccessKey(accessKeyId)) {
    return { problem: 'expired-key' };
  }
  const longTerm = state.accessKey(accessKeyId);
  if (longTerm) {
    return {
      caller: {
        accountId: longTerm.account.accountId,
        arn: `arn:aws:iam::${longTerm.account.accountId}:user/${longTerm.key.userName}`,
        userId: iamUserId(accessKeyId),
        accessKeyId,
      },
    };
  }
  const session = state.session(accessKeyId);
  if (!session) {
    return { problem: 'unknown-key' };
  }
  if (sessionToken !== session.sessionToken) {
    return { problem: 'bad-session-token' };
  }
  if (session.expiration.getTime() <= now.getTime()) {
    return { problem: 'expired-session' };
  }
  return {
    caller: { accountId: session.accountId, arn: session.arn, userId: session.userId, accessKeyId },
  };
}
