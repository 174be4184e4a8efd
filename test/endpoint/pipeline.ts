import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { bucketFor } from './buckets';
import { handleEc2 } from './ec2/ec2';
import { isDisabledRegion } from './ec2/ec2Regions';
import { ec2Error, kmsError, stsError, type AwsResponse } from './envelopes';
import { type ApiError, ec2Errors } from './errors';
import { faultOutcome } from './control/faults';
import { delay, readBody, send } from './httpUtil';
import { resolveCaller, signingScope, type Caller, type CallerProblem, type CallerResolution } from './sts/identity';
import { handleKms } from './kms/kms';
import { handleOrganizations, ORGANIZATIONS_TARGET_PREFIX, organizationsErrorBody, organizationsErrors } from './organizations/organizations';
import { kmsErrors } from './kms/kmsKeys';
import { QueryParams } from './query';
import { copyDelayMs, logRequest, schedule, type AwsService, type EndpointRuntime, type RequestLogEntry } from './runtime';
import { handleSts, STS_ACTIONS, stsErrors } from './sts/sts';

/** How one AWS API request (EC2, STS, KMS or Organizations) is answered: identify, delay, inject faults, throttle, handle. */

const DEFAULT_REGION = 'us-east-1';
/** KMS requests name their operation in this header: `TrentService.DescribeKey`. */
const KMS_TARGET_PREFIX = 'TrentService.';

function ec2ProblemError(problem: CallerProblem): ApiError {
  switch (problem) {
    case 'missing':
      return ec2Errors.missingAuthentication();
    case 'expired-session':
      return ec2Errors.requestExpired();
    case 'unknown-key':
    case 'expired-key':
    case 'bad-session-token':
      return ec2Errors.authFailure();
  }
}

function stsProblemError(problem: CallerProblem): ApiError {
  switch (problem) {
    case 'missing':
      return stsErrors.missingAuthenticationToken();
    case 'expired-key':
    case 'expired-session':
      return stsErrors.expiredToken();
    case 'unknown-key':
    case 'bad-session-token':
      return stsErrors.invalidClientTokenId();
  }
}

function kmsProblemError(problem: CallerProblem): ApiError {
  switch (problem) {
    case 'missing':
      return kmsErrors.missingAuthentication();
    case 'expired-key':
    case 'expired-session':
      return kmsErrors.expiredToken();
    case 'unknown-key':
    case 'bad-session-token':
      return kmsErrors.unrecognizedClient();
  }
}

interface ParsedRequest {
  action: string;
  service: AwsService;
  region: string;
  /** Query parameters (EC2, STS); empty for KMS. */
  params: QueryParams;
  /** The JSON body (KMS), or the reason it could not be read. */
  json: { input: Record<string, unknown> } | { error: ApiError };
  resolution: CallerResolution;
}

function header(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

function parseJsonInput(body: string): ParsedRequest['json'] {
  if (body.trim() === '') {
    return { input: {} };
  }
  try {
    const parsed: unknown = JSON.parse(body);
    if (typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)) {
      return { input: parsed as Record<string, unknown> };
    }
  } catch {
    // reported below
  }
  return { error: kmsErrors.serialization('Start of structure or map found where not expected.') };
}

async function parseRequest(runtime: EndpointRuntime, req: IncomingMessage): Promise<ParsedRequest> {
  const url = new URL(req.url ?? '/', 'http://endpoint.invalid');
  const body = await readBody(req);
  const scope = signingScope(req.headers, url.searchParams);
  const target = header(req, 'x-amz-target');
  const isKms = scope ? scope.service === 'kms' : target?.startsWith(KMS_TARGET_PREFIX) === true;
  const isOrganizations = scope ? scope.service === 'organizations' : target?.startsWith(ORGANIZATIONS_TARGET_PREFIX) === true;
  const isJson = isKms || isOrganizations;
  const targetPrefix = isKms ? KMS_TARGET_PREFIX : ORGANIZATIONS_TARGET_PREFIX;
  const params = isJson
    ? QueryParams.fromSearchParams(url.searchParams)
    : QueryParams.fromSearchParams(url.searchParams, new URLSearchParams(body));
  const action = isJson
    ? target?.startsWith(targetPrefix) ? target.slice(targetPrefix.length) : ''
    : params.get('Action') ?? '';
  const isSts = scope ? scope.service === 'sts' : STS_ACTIONS.includes(action) && params.get('Version') === '2011-06-15';
  const sessionToken = header(req, 'x-amz-security-token') ?? url.searchParams.get('X-Amz-Security-Token') ?? undefined;
  return {
    action,
    service: isKms ? 'kms' : isOrganizations ? 'organizations' : isSts ? 'sts' : 'ec2',
    region: scope?.region ?? DEFAULT_REGION,
    params,
    json: isJson ? parseJsonInput(body) : { input: {} },
    resolution: resolveCaller(runtime.state, scope, sessionToken),
  };
}

/**
 * EC2 judges a request against its bucket when the request arrives; the configured latency stands for the
 * network and the service's own time after that. Judged after the latency, requests that arrived together
 * were judged one DescribeImages page apart (this endpoint builds pages one at a time, 10–30 ms each; EC2
 * builds them in parallel), and a 5×4 listing's buckets saw their lanes start up to 0.6 s apart (measured).
 */
function throttledOnArrival(runtime: EndpointRuntime, request: ParsedRequest): boolean {
  const { state, settings, limiter } = runtime;
  if (!settings.throttling || request.service !== 'ec2' || !('caller' in request.resolution) || isDisabledRegion(state.regions(), request.region)) return false;
  return !limiter.tryAcquire(request.resolution.caller.accountId, request.region, bucketFor(request.action, request.params));
}

function answerEc2(runtime: EndpointRuntime, request: ParsedRequest, caller: Caller, requestId: string, throttled: boolean): AwsResponse {
  const { state, settings, stats } = runtime;
  if (isDisabledRegion(state.regions(), request.region)) {
    return ec2Error(ec2Errors.optInRequired(request.region), requestId);
  }
  if (throttled) {
    stats.throttled++;
    return ec2Error(ec2Errors.throttled(), requestId);
  }
  const organization = state.account(caller.accountId)?.organization;
  return handleEc2(
    request.action,
    {
      state,
      caller,
      principal: { accountId: caller.accountId, organization },
      region: request.region,
      params: request.params,
      copyDelayMs: copyDelayMs(settings),
      imageOrderSeed: settings.imageOrderSeed,
      schedule: (ms, task) => schedule(runtime, ms, task),
    },
    requestId,
  );
}

function answerKms(runtime: EndpointRuntime, request: ParsedRequest, caller: Caller): AwsResponse {
  const { state } = runtime;
  if (isDisabledRegion(state.regions(), request.region)) {
    return kmsError(kmsErrors.unrecognizedClient());
  }
  if ('error' in request.json) {
    return kmsError(request.json.error);
  }
  // KMS request quotas are far above anything a test reaches; the EC2 buckets do not apply.
  return handleKms(request.action, {
    state,
    caller,
    organization: state.account(caller.accountId)?.organization,
    region: request.region,
    input: request.json.input,
  });
}

function organizationsProblemError(problem: CallerProblem): ApiError {
  switch (problem) {
    case 'missing':
      return organizationsErrors.missingAuthentication();
    case 'expired-key':
    case 'expired-session':
      return organizationsErrors.expiredToken();
    case 'unknown-key':
    case 'bad-session-token':
      return organizationsErrors.unrecognizedClient();
  }
}

/** Organizations is global: requests are answered whatever Region they were signed for (README). */
function answerOrganizations(runtime: EndpointRuntime, request: ParsedRequest): AwsResponse {
  const { resolution } = request;
  if ('problem' in resolution) return organizationsErrorBody(organizationsProblemError(resolution.problem));
  if ('error' in request.json) return organizationsErrorBody(organizationsErrors.serialization(request.json.error.message));
  // Its quotas (about one List request per second per account) are not modelled; the client paces itself.
  return handleOrganizations(request.action, { state: runtime.state, caller: resolution.caller, input: request.json.input });
}

function answer(runtime: EndpointRuntime, request: ParsedRequest, requestId: string, throttled: boolean): AwsResponse {
  const { resolution } = request;
  if (request.service === 'organizations') return answerOrganizations(runtime, request);
  if (request.service === 'kms') {
    return 'problem' in resolution ? kmsError(kmsProblemError(resolution.problem)) : answerKms(runtime, request, resolution.caller);
  }
  if (request.service === 'sts') {
    if ('problem' in resolution) {
      return stsError(stsProblemError(resolution.problem), requestId);
    }
    return handleSts(request.action, { state: runtime.state, caller: resolution.caller, params: request.params, now: new Date() }, requestId);
  }
  if ('problem' in resolution) {
    return ec2Error(ec2ProblemError(resolution.problem), requestId);
  }
  return answerEc2(runtime, request, resolution.caller, requestId, throttled);
}

export async function handleAwsRequest(runtime: EndpointRuntime, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const requestId = randomUUID();
  const request = await parseRequest(runtime, req);
  const entry: RequestLogEntry = {
    action: request.action,
    accountId: 'caller' in request.resolution ? request.resolution.caller.accountId : undefined,
    region: request.region,
    service: request.service,
    status: 0,
    time: new Date().toISOString(),
  };
  logRequest(runtime, entry);
  runtime.stats.requests++;
  const throttled = throttledOnArrival(runtime, request);

  if (runtime.settings.latencyMs > 0) {
    await delay(runtime.settings.latencyMs);
  }

  let response: AwsResponse;
  const fault = runtime.faults.take(request.action, entry.accountId, request.service === 'ec2' ? request.params.get('Attribute') : undefined);
  if (fault) {
    entry.fault = fault;
    const outcome = faultOutcome(fault, request.service, request.action, requestId);
    if ('hang' in outcome) {
      return; // never answered; close() drops the connection
    }
    if ('closeConnection' in outcome) {
      req.socket.destroy();
      return;
    }
    response = outcome.response;
    if (fault === 'throttle') {
      runtime.stats.throttled++;
    }
  } else {
    response = answer(runtime, request, requestId, throttled);
  }

  entry.status = response.status;
  // The SDK takes $metadata.requestId from this header, for every service.
  send(res, response.status, response.body, response.contentType, { 'x-amzn-RequestId': requestId });
}
