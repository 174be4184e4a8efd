import type { OrganizationMembership } from '../fixture/fixture';

/**
 * KMS key policies: the documents the fixture starts from, the checks PutKeyPolicy makes, and a
 * small evaluator deciding whether a policy lets a principal perform a KMS action on a key.
 *
 * The evaluator covers what AMI sharing needs, not IAM in full: Allow/Deny statements, `Principal`
 * as `*`, account ids, `arn:aws:iam::ACCOUNT:root`, user and role ARNs; `Action`/`NotAction` with
 * wildcards; conditions with the String*, Bool and ForAnyValue/ForAllValues operators (and
 * `…IfExists`) on `aws:PrincipalOrgID`, `aws:PrincipalOrgPaths`, `aws:PrincipalAccount`,
 * `aws:PrincipalArn`, `kms:CallerAccount`, `kms:ViaService` and `kms:GrantIsForAWSResource`.
 * Any other condition key is treated as absent. IAM identity policies are not modelled: every
 * fixture user may do what the key policy lets its account do.
 */

export interface PolicyStatement {
  Sid?: string;
  Effect?: unknown;
  Principal?: unknown;
  NotPrincipal?: unknown;
  Action?: unknown;
  NotAction?: unknown;
  Resource?: unknown;
  Condition?: unknown;
}

export interface PolicyDocument {
  Version?: string;
  Id?: string;
  Statement: PolicyStatement[];
}

/** Who asks, for what, and how (directly, or through EC2 on the caller's behalf). */
export interface PolicyRequest {
  accountId: string;
  /** `arn:aws:iam::ACCOUNT:user/NAME` or `arn:aws:sts::ACCOUNT:assumed-role/ROLE/SESSION`. */
  callerArn: string;
  organization?: OrganizationMembership | undefined;
  /** e.g. `kms:DescribeKey` */
  action: string;
  /** Set when an AWS service calls KMS for the caller, e.g. `ec2.us-east-1.amazonaws.com`. */
  viaService?: string;
  /** `kms:GrantIsForAWSResource`: true when the grant is created by an AWS service such as EBS. */
  grantIsForAwsResource?: boolean;
}

/** The policy every customer managed key gets unless another is given: only the owner account. */
export function defaultCustomerKeyPolicy(ownerId: string, extra: PolicyStatement[] = []): string {
  return formatPolicy({
    Version: '2012-10-17',
    Id: 'key-default-1',
    Statement: [
      {
        Sid: 'Enable IAM User Permissions',
        Effect: 'Allow',
        Principal: { AWS: `arn:aws:iam::${ownerId}:root` },
        Action: 'kms:*',
        Resource: '*',
      },
      ...extra,
    ],
  });
}

/**
 * The statements the console adds for "other AWS accounts" (the recipient needs these for AMIs
 * encrypted with the key): use of the key, and grants for AWS resources such as EBS volumes.
 */
export function recipientAccountStatements(accountIds: readonly string[]): PolicyStatement[] {
  const principal = { AWS: accountIds.length === 1 ? `arn:aws:iam::${accountIds[0]}:root` : accountIds.map((id) => `arn:aws:iam::${id}:root`) };
  return [
    {
      Sid: 'Allow use of the key',
      Effect: 'Allow',
      Principal: principal,
      Action: ['kms:Decrypt', 'kms:DescribeKey', 'kms:ReEncrypt*', 'kms:GenerateDataKey*'],
      Resource: '*',
    },
    {
      Sid: 'Allow attachment of persistent resources',
      Effect: 'Allow',
      Principal: principal,
      Action: 'kms:CreateGrant',
      Resource: '*',
      Condition: { Bool: { 'kms:GrantIsForAWSResource': true } },
    },
  ];
}

/** The policy of an AWS managed `aws/ebs` key: use only through EC2 by its own account; no PutKeyPolicy. */
export function awsManagedEbsKeyPolicy(ownerId: string, region: string): string {
  return formatPolicy({
    Version: '2012-10-17',
    Id: 'auto-ebs-2',
    Statement: [
      {
        Sid: 'Allow access through EBS for all principals in the account that are authorized to use EBS',
        Effect: 'Allow',
        Principal: { AWS: '*' },
        Action: ['kms:Encrypt', 'kms:Decrypt', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:CreateGrant', 'kms:DescribeKey'],
        Resource: '*',
        Condition: { StringEquals: { 'kms:CallerAccount': ownerId, 'kms:ViaService': `ec2.${region}.amazonaws.com` } },
      },
      {
        Sid: 'Allow direct access to key metadata to the account',
        Effect: 'Allow',
        Principal: { AWS: `arn:aws:iam::${ownerId}:root` },
        Action: ['kms:Describe*', 'kms:Get*', 'kms:List*', 'kms:RevokeGrant'],
        Resource: '*',
      },
    ],
  });
}

export function formatPolicy(policy: PolicyDocument): string {
  return JSON.stringify(policy, null, 2);
}

/** The parsed policy, or undefined when the text is not a policy document with a Statement array. */
export function parsePolicy(text: string): PolicyDocument | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    return undefined;
  }
  const statement = (parsed as { Statement?: unknown }).Statement;
  if (!Array.isArray(statement) || statement.some((s) => typeof s !== 'object' || s === null || Array.isArray(s))) {
    return undefined;
  }
  return parsed as PolicyDocument;
}

const VALID_PRINCIPAL = /^(?:\*|\d{12}|arn:aws:iam::\d{12}:(?:root|user\/[\w+=,.@/-]+|role\/[\w+=,.@/-]+)|arn:aws:sts::\d{12}:assumed-role\/[\w+=,.@-]+\/[\w+=,.@-]+)$/;

/** Why KMS would reject this policy text (MalformedPolicyDocumentException), or undefined when it is acceptable. */
export function policyProblem(text: string): string | undefined {
  const policy = parsePolicy(text);
  if (!policy) {
    return 'The new key policy is not a JSON object with a Statement array.';
  }
  for (const statement of policy.Statement) {
    if (statement.Effect !== 'Allow' && statement.Effect !== 'Deny') {
      return 'Policy contains a statement with an Effect other than Allow or Deny.';
    }
    if (statement.Principal === undefined && statement.NotPrincipal === undefined) {
      return 'Policy contains a statement with no principal.';
    }
    if (statement.Action === undefined && statement.NotAction === undefined) {
      return 'Policy contains a statement with no action.';
    }
    const principals = principalValues(statement.Principal ?? statement.NotPrincipal);
    if (principals === undefined || principals.aws.some((p) => !VALID_PRINCIPAL.test(p))) {
      return 'Policy contains a statement with one or more invalid principals.';
    }
    if (statement.Condition !== undefined && (typeof statement.Condition !== 'object' || statement.Condition === null)) {
      return 'Policy contains a statement with an invalid Condition block.';
    }
  }
  return undefined;
}

function strings(value: unknown): string[] | undefined {
  if (typeof value === 'string') {
    return [value];
  }
  if (Array.isArray(value) && value.every((v) => typeof v === 'string')) {
    return value as string[];
  }
  return undefined;
}

/** `*`, `{AWS: …}`, or `{Service: …}`; undefined when malformed. */
function principalValues(principal: unknown): { everyone: boolean; aws: string[] } | undefined {
  if (principal === '*') {
    return { everyone: true, aws: [] };
  }
  if (typeof principal !== 'object' || principal === null || Array.isArray(principal)) {
    return undefined;
  }
  const record = principal as Record<string, unknown>;
  const aws = record.AWS === undefined ? [] : strings(record.AWS);
  if (aws === undefined) {
    return undefined;
  }
  return { everyone: aws.includes('*'), aws: aws.filter((p) => p !== '*') };
}

function principalMatches(principal: unknown, request: PolicyRequest): boolean {
  const values = principalValues(principal);
  if (!values) {
    return false;
  }
  if (values.everyone) {
    return true;
  }
  // An assumed-role session is matched by its role's ARN.
  const session = /^arn:aws:sts::(\d{12}):assumed-role\/([^/]+)\//.exec(request.callerArn);
  const roleArn = session ? `arn:aws:iam::${session[1]}:role/${session[2]}` : undefined;
  return values.aws.some(
    (p) =>
      p === request.accountId ||
      p === `arn:aws:iam::${request.accountId}:root` ||
      p === request.callerArn ||
      (roleArn !== undefined && p === roleArn),
  );
}

function wildcardMatch(pattern: string, value: string, caseInsensitive: boolean): boolean {
  const escaped = pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.');
  return new RegExp(`^${escaped}$`, caseInsensitive ? 'i' : '').test(value);
}

function actionMatches(statement: PolicyStatement, action: string): boolean {
  if (statement.Action !== undefined) {
    return (strings(statement.Action) ?? []).some((pattern) => wildcardMatch(pattern, action, true));
  }
  const excluded = strings(statement.NotAction) ?? [];
  return !excluded.some((pattern) => wildcardMatch(pattern, action, true));
}

/** Values of the condition keys the evaluator knows, for this request; absent keys are missing. */
function contextValues(request: PolicyRequest): Map<string, string[]> {
  const values = new Map<string, string[]>();
  values.set('aws:principalaccount', [request.accountId]);
  values.set('kms:calleraccount', [request.accountId]);
  values.set('aws:principalarn', [request.callerArn]);
  if (request.organization) {
    const { organizationId, organizationalUnitIds } = request.organization;
    values.set('aws:principalorgid', [organizationId]);
    // The root id is not in the fixture; OU ids embed it (`ou-ROOT-…`).
    const root = `r-${organizationalUnitIds[0]?.split('-')[1] ?? '0000'}`;
    values.set('aws:principalorgpaths', [`${[organizationId, root, ...organizationalUnitIds].join('/')}/`]);
  }
  if (request.viaService) {
    values.set('kms:viaservice', [request.viaService]);
  }
  if (request.grantIsForAwsResource !== undefined) {
    values.set('kms:grantisforawsresource', [String(request.grantIsForAwsResource)]);
  }
  return values;
}

function compare(operator: string, expected: string, actual: string): boolean {
  switch (operator) {
    case 'stringequals':
    case 'stringnotequals':
    case 'arnequals':
    case 'arnnotequals':
      return expected === actual;
    case 'stringequalsignorecase':
    case 'stringnotequalsignorecase':
    case 'bool':
      return expected.toLowerCase() === actual.toLowerCase();
    case 'stringlike':
    case 'stringnotlike':
    case 'arnlike':
    case 'arnnotlike':
      return wildcardMatch(expected, actual, false);
    default:
      return false;
  }
}

const NEGATED = new Set(['stringnotequals', 'stringnotequalsignorecase', 'stringnotlike', 'arnnotequals', 'arnnotlike']);

function conditionHolds(rawOperator: string, key: string, rawExpected: unknown, context: Map<string, string[]>): boolean {
  let operator = rawOperator.toLowerCase();
  let setQualifier: 'any' | 'all' | undefined;
  if (operator.startsWith('foranyvalue:')) {
    setQualifier = 'any';
    operator = operator.slice('foranyvalue:'.length);
  } else if (operator.startsWith('forallvalues:')) {
    setQualifier = 'all';
    operator = operator.slice('forallvalues:'.length);
  }
  const ifExists = operator.endsWith('ifexists');
  if (ifExists) {
    operator = operator.slice(0, -'ifexists'.length);
  }
  const expected = (Array.isArray(rawExpected) ? rawExpected : [rawExpected]).map((v) => String(v));
  const actual = context.get(key.toLowerCase());
  if (actual === undefined || actual.length === 0) {
    return ifExists || NEGATED.has(operator) || setQualifier === 'all';
  }
  const negated = NEGATED.has(operator);
  const matchesOne = (value: string): boolean => {
    const any = expected.some((e) => compare(operator, e, value));
    return negated ? !any : any;
  };
  return setQualifier === 'all' ? actual.every(matchesOne) : actual.some(matchesOne);
}

function conditionsHold(condition: unknown, request: PolicyRequest): boolean {
  if (condition === undefined) {
    return true;
  }
  if (typeof condition !== 'object' || condition === null) {
    return false;
  }
  const context = contextValues(request);
  return Object.entries(condition as Record<string, unknown>).every(([operator, entries]) => {
    if (typeof entries !== 'object' || entries === null) {
      return false;
    }
    return Object.entries(entries as Record<string, unknown>).every(([key, expected]) =>
      conditionHolds(operator, key, expected, context),
    );
  });
}

function statementApplies(statement: PolicyStatement, request: PolicyRequest): boolean {
  const principalOk =
    statement.Principal !== undefined
      ? principalMatches(statement.Principal, request)
      : statement.NotPrincipal !== undefined && !principalMatches(statement.NotPrincipal, request);
  return principalOk && actionMatches(statement, request.action) && conditionsHold(statement.Condition, request);
}

/** True when the policy allows the request and no statement denies it. */
export function policyAllows(policyText: string, request: PolicyRequest): boolean {
  const policy = parsePolicy(policyText);
  if (!policy) {
    return false;
  }
  const applicable = policy.Statement.filter((statement) => statementApplies(statement, request));
  if (applicable.some((statement) => statement.Effect === 'Deny')) {
    return false;
  }
  return applicable.some((statement) => statement.Effect === 'Allow');
}
