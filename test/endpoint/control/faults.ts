import { ec2Error, EC2_NAMESPACE, KMS_CONTENT_TYPE, kmsError, stsError, type AwsResponse } from '../envelopes';
import { ApiError, ec2Errors } from '../errors';
import { kmsErrors } from '../kms/kmsKeys';
import type { AwsService } from '../runtime';
import { organizationsErrorBody, organizationsErrors } from '../organizations/organizations';
import { stsErrors } from '../sts/sts';

/** Failures tests can make the endpoint produce on purpose, to exercise retries and error handling. */

export const FAULT_KINDS = [
  'throttle',
  'http500-html',
  'http503-html',
  'malformed-xml',
  'hang',
  'close-connection',
  'expired-token',
  // A server that does not know the action (an older EC2-compatible API, a proxy): EC2's InvalidAction.
  'invalid-action',
  // The caller's IAM policy does not allow the action: EC2's UnauthorizedOperation.
  'unauthorized',
] as const;

export type FaultKind = (typeof FAULT_KINDS)[number];

export interface FaultOptions {
  /** Only requests for this action; undefined = any action. */
  action?: string;
  /** Only requests made as this account; undefined = any caller. */
  accountId?: string;
  /** Only requests with this `Attribute` parameter (DescribeImageAttribute lastLaunchedTime, not launchPermission). */
  attribute?: string;
  kind: FaultKind;
  /** How many matching requests fail; default 1, Infinity allowed. */
  times?: number;
}

export interface PendingFault {
  action?: string;
  accountId?: string;
  attribute?: string;
  kind: FaultKind;
  remaining: number;
}

export function isFaultKind(value: unknown): value is FaultKind {
  return typeof value === 'string' && (FAULT_KINDS as readonly string[]).includes(value);
}

export class FaultInjector {
  private faults: PendingFault[] = [];

  inject(options: FaultOptions): void {
    if (!isFaultKind(options.kind)) {
      throw new Error(`Unknown fault kind: ${String(options.kind)}`);
    }
    const times = options.times ?? 1;
    if (!(times > 0)) {
      throw new Error(`Fault times must be positive, got ${times}`);
    }
    this.faults.push({
      kind: options.kind,
      remaining: times,
      ...(options.action !== undefined ? { action: options.action } : {}),
      ...(options.accountId !== undefined ? { accountId: options.accountId } : {}),
      ...(options.attribute !== undefined ? { attribute: options.attribute } : {}),
    });
  }

  clear(): void {
    this.faults = [];
  }

  pending(): PendingFault[] {
    return this.faults.map((fault) => ({ ...fault }));
  }

  /** The fault to apply to this request, if any; faults are used in the order they were injected. */
  take(action: string, accountId: string | undefined, attribute?: string): FaultKind | undefined {
    const fault = this.faults.find(
      (f) =>
        (f.action === undefined || f.action === action) &&
        (f.accountId === undefined || f.accountId === accountId) &&
        (f.attribute === undefined || f.attribute === attribute),
    );
    if (!fault) {
      return undefined;
    }
    fault.remaining -= 1;
    if (fault.remaining <= 0) {
      this.faults = this.faults.filter((f) => f !== fault);
    }
    return fault.kind;
  }
}

/** What the server does for a fault: send a response, keep the connection silent, or drop it. */
export type FaultOutcome = { response: AwsResponse } | { hang: true } | { closeConnection: true };

function html(status: number, title: string): AwsResponse {
  // What a load balancer in front of the service sends: not XML at all.
  return {
    status,
    body: `<html><head><title>${status} ${title}</title></head><body><center><h1>${status} ${title}</h1></center></body></html>`,
    contentType: 'text/html',
  };
}

export function faultOutcome(kind: FaultKind, service: AwsService, action: string, requestId: string): FaultOutcome {
  switch (kind) {
    case 'throttle':
      return {
        response:
          service === 'organizations'
            ? organizationsErrorBody(organizationsErrors.throttled())
            : service === 'kms'
            ? kmsError(kmsErrors.throttled())
            : service === 'sts'
              ? stsError(stsErrors.throttled(), requestId)
              : ec2Error(ec2Errors.throttled(), requestId),
      };
    case 'expired-token':
      return {
        response:
          service === 'organizations'
            ? organizationsErrorBody(organizationsErrors.expiredToken())
            : service === 'kms'
            ? kmsError(kmsErrors.expiredToken())
            : service === 'sts'
              ? stsError(stsErrors.expiredToken(), requestId)
              : ec2Error(ec2Errors.requestExpired(), requestId),
      };
    case 'http500-html':
      return { response: html(500, 'Internal Server Error') };
    case 'http503-html':
      return { response: html(503, 'Service Unavailable') };
    case 'malformed-xml': {
      if (service === 'kms' || service === 'organizations') {
        // The JSON equivalent: a 200 response cut off mid-object.
        return { response: { status: 200, body: '{"KeyMetadata":{"AWSAccountId":"1', contentType: KMS_CONTENT_TYPE } };
      }
      // A response cut off mid-element, as when a connection breaks during a 200 response.
      const root = `${action.replace(/[^A-Za-z0-9]/g, '') || 'Unknown'}Response`;
      return {
        response: {
          status: 200,
          body: `<?xml version="1.0" encoding="UTF-8"?>\n<${root} xmlns="${EC2_NAMESPACE}"><requestId>${requestId}</requestId><imagesSet><item><imageId>ami-0`,
          contentType: 'text/xml;charset=UTF-8',
        },
      };
    }
    case 'invalid-action':
      return {
        response:
          service === 'kms'
            ? kmsError(new ApiError('UnknownOperationException', `Unknown operation ${action}`, 400))
            : service === 'sts'
              ? stsError(new ApiError('InvalidAction', `Could not find operation ${action}`, 400), requestId)
              : ec2Error(ec2Errors.invalidAction(action), requestId),
      };
    case 'unauthorized':
      return {
        response:
          service === 'kms'
            ? kmsError(new ApiError('AccessDeniedException', `User is not authorized to perform: kms:${action}`, 400))
            : service === 'sts'
              ? stsError(new ApiError('AccessDenied', `User is not authorized to perform: sts:${action}`, 403), requestId)
              : ec2Error(new ApiError('UnauthorizedOperation', 'You are not authorized to perform this operation.', 403), requestId),
      };
    case 'hang':
      return { hang: true };
    case 'close-connection':
      return { closeConnection: true };
  }
}
