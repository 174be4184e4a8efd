import { ApiError } from '../errors';
import type { OrganizationAccountFixture, OrganizationFixture } from '../fixture/fixture';
import type { Caller } from '../sts/identity';
import type { EndpointState } from '../state';

/**
 * AWS Organizations over AWS JSON 1.1 (`X-Amz-Target: AWSOrganizationsV20161128.<Operation>`): the four
 * read operations AMI Sharing uses to name accounts and offer OUs. Organizations is a global service (its
 * endpoint is in us-east-1); only the management account and delegated administrators may call these, and
 * a caller whose IAM policies allow no `organizations:` action is refused even there.
 */

export const ORGANIZATIONS_TARGET_PREFIX = 'AWSOrganizationsV20161128.';

export interface OrganizationsContext {
  state: EndpointState;
  caller: Caller;
  /** The request's JSON body. */
  input: Record<string, unknown>;
}

/** Organizations' errors carry a `Reason` for InvalidInputException (API reference, Errors). */
export class OrganizationsError extends ApiError {
  constructor(
    code: string,
    message: string,
    readonly reason?: string,
    httpStatus = 400,
  ) {
    super(code, message, httpStatus);
  }
}

export const organizationsErrors = {
  accessDenied: () => new OrganizationsError('AccessDeniedException', "You don't have permissions to access this resource."),
  notInUse: () => new OrganizationsError('AWSOrganizationsNotInUseException', 'Your account is not a member of an organization.'),
  parentNotFound: () => new OrganizationsError('ParentNotFoundException', "We can't find a root or OU with the ParentId that you specified."),
  invalidInput: (reason: string, message: string) => new OrganizationsError('InvalidInputException', message, reason),
  unknownOperation: () => new OrganizationsError('UnknownOperationException', 'The action or operation requested is invalid.'),
  serialization: (message: string) => new OrganizationsError('SerializationException', message),
  throttled: () => new OrganizationsError('TooManyRequestsException', 'You have sent too many requests in too short a period of time.'),
  expiredToken: () => new OrganizationsError('ExpiredTokenException', 'The security token included in the request is expired'),
  unrecognizedClient: () => new OrganizationsError('UnrecognizedClientException', 'The security token included in the request is invalid.'),
  missingAuthentication: () => new OrganizationsError('MissingAuthenticationTokenException', 'Missing Authentication Token'),
};

/** MaxResults: 1–20 for every List operation here (API reference). */
const MAX_RESULTS = 20;
/** The reference leaves the default page size to the operation; 20 here (README). */
const DEFAULT_PAGE_SIZE = 20;
const PARENT_ID = /^(r-[0-9a-z]{4,32})$|^(ou-[0-9a-z]{4,32}-[a-z0-9]{8,32})$/;

function organizationArn(org: OrganizationFixture): string {
  return `arn:aws:organizations::${org.managementAccountId}:organization/${org.id}`;
}

function memberOf(state: EndpointState, accountId: string): OrganizationFixture | undefined {
  return state.organizations().find((org) => org.accounts.some((account) => account.id === accountId));
}

/** The role an assumed-role session belongs to, so IAM denials name roles rather than sessions. */
function iamPrincipal(caller: Caller): string {
  const assumed = /^arn:aws:sts::(\d{12}):assumed-role\/([^/]+)\//.exec(caller.arn);
  return assumed ? `arn:aws:iam::${assumed[1]}:role/${assumed[2]}` : caller.arn;
}

/** The caller's organization, when it may read it; the errors AWS gives otherwise. */
function readableOrganization(context: OrganizationsContext): OrganizationFixture {
  const org = memberOf(context.state, context.caller.accountId);
  if (!org) throw organizationsErrors.notInUse();
  if (org.callersWithoutPermission?.includes(iamPrincipal(context.caller))) throw organizationsErrors.accessDenied();
  return org;
}

/** List operations: management account and delegated administrators only. */
function listableOrganization(context: OrganizationsContext): OrganizationFixture {
  const org = readableOrganization(context);
  const accountId = context.caller.accountId;
  if (accountId !== org.managementAccountId && !org.delegatedAdministratorIds.includes(accountId)) throw organizationsErrors.accessDenied();
  return org;
}

function optionalString(context: OrganizationsContext, member: string): string | undefined {
  const value = context.input[member];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') throw organizationsErrors.serialization(`STRING_VALUE can not be converted to a String at '${member}'`);
  return value;
}

interface PageToken {
  operation: string;
  scope: string;
  offset: number;
}

function encodeToken(token: PageToken): string {
  return Buffer.from(JSON.stringify(token)).toString('base64');
}

function decodeToken(raw: string, operation: string, scope: string): number {
  try {
    const token = JSON.parse(Buffer.from(raw, 'base64').toString('utf8')) as Partial<PageToken>;
    if (token.operation === operation && token.scope === scope && Number.isInteger(token.offset) && (token.offset ?? -1) >= 0) return token.offset!;
  } catch {
    // reported below
  }
  throw organizationsErrors.invalidInput('INVALID_NEXT_TOKEN', 'The specified token is invalid.');
}

/** MaxResults + NextToken paging; the token is tied to the operation and its parent. */
function page<T>(context: OrganizationsContext, operation: string, scope: string, items: readonly T[]): { items: T[]; NextToken?: string } {
  const rawMax = context.input.MaxResults;
  let limit = DEFAULT_PAGE_SIZE;
  if (rawMax !== undefined && rawMax !== null) {
    if (typeof rawMax !== 'number' || !Number.isInteger(rawMax)) throw organizationsErrors.serialization("NUMBER_VALUE can not be converted to an Integer at 'MaxResults'");
    if (rawMax < 1) throw organizationsErrors.invalidInput('MIN_VALUE_EXCEEDED', 'You provided a value that is less than the minimum allowed value.');
    if (rawMax > MAX_RESULTS) throw organizationsErrors.invalidInput('MAX_VALUE_EXCEEDED', 'You provided a value that exceeds the maximum allowed value.');
    limit = rawMax;
  }
  const rawToken = optionalString(context, 'NextToken');
  const offset = rawToken === undefined ? 0 : decodeToken(rawToken, operation, scope);
  const slice = items.slice(offset, offset + limit);
  const next = offset + limit;
  return next < items.length ? { items: slice, NextToken: encodeToken({ operation, scope, offset: next }) } : { items: slice };
}

/** The entity path of an account: `o-…/r-…/ou-…/…/ACCOUNT/` (IAM User Guide, "Organizations entity path"). */
function entityPath(org: OrganizationFixture, account: OrganizationAccountFixture): string {
  const chain: string[] = [];
  for (let parent: string | undefined = account.parentId; parent && parent !== org.rootId; parent = org.organizationalUnits.find((ou) => ou.id === parent)?.parentId) {
    chain.unshift(parent);
  }
  return [org.id, org.rootId, ...chain, account.id, ''].join('/');
}

function accountShape(org: OrganizationFixture, account: OrganizationAccountFixture): Record<string, unknown> {
  return {
    Paths: [entityPath(org, account)],
    Id: account.id,
    Arn: `arn:aws:organizations::${org.managementAccountId}:account/${org.id}/${account.id}`,
    Email: account.email,
    Name: account.name,
    Status: account.status ?? 'ACTIVE',
    JoinedMethod: account.id === org.managementAccountId ? 'CREATED' : 'INVITED',
    JoinedTimestamp: Date.parse('2024-01-15T09:00:00Z') / 1000,
  };
}

type OrganizationsHandler = (context: OrganizationsContext) => unknown;

const HANDLERS: Record<string, OrganizationsHandler> = {
  // Any member account may describe its organization (API reference); the Master* fields are the management account.
  DescribeOrganization: (context) => {
    const org = readableOrganization(context);
    return {
      Organization: {
        Id: org.id,
        Arn: organizationArn(org),
        FeatureSet: 'ALL',
        MasterAccountArn: `arn:aws:organizations::${org.managementAccountId}:account/${org.id}/${org.managementAccountId}`,
        MasterAccountId: org.managementAccountId,
        MasterAccountEmail: org.managementAccountEmail,
        AvailablePolicyTypes: [],
      },
    };
  },
  ListRoots: (context) => {
    const org = listableOrganization(context);
    const roots = [{ Id: org.rootId, Arn: `arn:aws:organizations::${org.managementAccountId}:root/${org.id}/${org.rootId}`, Name: 'Root', PolicyTypes: [] }];
    const { items, NextToken } = page(context, 'ListRoots', '', roots);
    return { Roots: items, ...(NextToken ? { NextToken } : {}) };
  },
  ListAccounts: (context) => {
    const org = listableOrganization(context);
    const { items, NextToken } = page(context, 'ListAccounts', '', org.accounts);
    return { Accounts: items.map((account) => accountShape(org, account)), ...(NextToken ? { NextToken } : {}) };
  },
  ListOrganizationalUnitsForParent: (context) => {
    const org = listableOrganization(context);
    const parentId = optionalString(context, 'ParentId');
    if (parentId === undefined) {
      throw organizationsErrors.invalidInput('INVALID_INPUT', "1 validation error detected: Value null at 'parentId' failed to satisfy constraint: Member must not be null");
    }
    if (!PARENT_ID.test(parentId)) throw organizationsErrors.invalidInput('INVALID_PATTERN', 'You provided a value that does not match the required pattern.');
    if (parentId !== org.rootId && !org.organizationalUnits.some((ou) => ou.id === parentId)) throw organizationsErrors.parentNotFound();
    const children = org.organizationalUnits.filter((ou) => ou.parentId === parentId);
    const { items, NextToken } = page(context, 'ListOrganizationalUnitsForParent', parentId, children);
    return {
      OrganizationalUnits: items.map((ou) => ({ Id: ou.id, Arn: `arn:aws:organizations::${org.managementAccountId}:ou/${org.id}/${ou.id}`, Name: ou.name })),
      ...(NextToken ? { NextToken } : {}),
    };
  },
};

export const ORGANIZATIONS_CONTENT_TYPE = 'application/x-amz-json-1.1';

export function organizationsErrorBody(error: ApiError): { status: number; body: string; contentType: string } {
  const reason = error instanceof OrganizationsError && error.reason ? { Reason: error.reason } : {};
  return { status: error.httpStatus, body: JSON.stringify({ __type: error.code, Message: error.message, ...reason }), contentType: ORGANIZATIONS_CONTENT_TYPE };
}

export function handleOrganizations(action: string, context: OrganizationsContext): { status: number; body: string; contentType: string } {
  try {
    const handler = Object.hasOwn(HANDLERS, action) ? HANDLERS[action] : undefined;
    if (!handler) throw organizationsErrors.unknownOperation();
    return { status: 200, body: JSON.stringify(handler(context) ?? {}), contentType: ORGANIZATIONS_CONTENT_TYPE };
  } catch (error) {
    if (error instanceof ApiError) return organizationsErrorBody(error);
    return organizationsErrorBody(new OrganizationsError('ServiceException', `AWS Organizations can't complete your request because of an internal service error: ${String(error)}`, undefined, 500));
  }
}
