/**
 * Reads and writes KMS key policies for AMI recipients. A recipient of an AMI whose snapshots use a
 * customer managed key needs, in that key's policy: kms:Decrypt, kms:DescribeKey, kms:ReEncrypt*,
 * kms:GenerateDataKey* and kms:CreateGrant (only for AWS resources). Organizations and OUs are granted
 * with Principal "*" and the aws:PrincipalOrgID / aws:PrincipalOrgPaths conditions.
 */

import * as l10n from '@vscode/l10n';

export const RECIPIENT_KEY_ACTIONS = ['kms:Decrypt', 'kms:DescribeKey', 'kms:ReEncrypt*', 'kms:GenerateDataKey*'] as const;
export const GRANT_ACTION = 'kms:CreateGrant';

export type Recipient =
  | { kind: 'account'; accountId: string }
  | { kind: 'organization'; arn: string; organizationId: string }
  | { kind: 'organizationalUnit'; arn: string; organizationId: string; ouId: string };

export interface PolicyStatement {
  Sid?: string;
  Effect: 'Allow' | 'Deny' | string;
  Principal?: '*' | { AWS?: string | string[]; [other: string]: unknown };
  Action?: string | string[];
  NotAction?: string | string[];
  Resource?: string | string[];
  Condition?: Record<string, Record<string, unknown>>;
}

export interface KeyPolicy {
  Version?: string;
  Id?: string;
  Statement: PolicyStatement[];
}

export function recipientFromPermission(permission: { UserId?: string; OrganizationArn?: string; OrganizationalUnitArn?: string }): Recipient | undefined {
  if (permission.UserId) return { kind: 'account', accountId: permission.UserId };
  if (permission.OrganizationArn) {
    const organizationId = permission.OrganizationArn.split('/').pop() ?? '';
    return { kind: 'organization', arn: permission.OrganizationArn, organizationId };
  }
  if (permission.OrganizationalUnitArn) {
    const [, organizationId = '', ouId = ''] = permission.OrganizationalUnitArn.split('/');
    return { kind: 'organizationalUnit', arn: permission.OrganizationalUnitArn, organizationId, ouId };
  }
  return undefined;
}

export function describeRecipient(recipient: Recipient): string {
  return recipient.kind === 'account' ? recipient.accountId : recipient.arn;
}

export function parseKeyPolicy(text: string): KeyPolicy {
  const parsed = JSON.parse(text) as unknown;
  if (typeof parsed !== 'object' || parsed === null || !Array.isArray((parsed as KeyPolicy).Statement)) {
    throw new Error(l10n.t('The key policy has no Statement list.'));
  }
  return parsed as KeyPolicy;
}

const list = (value: string | string[] | undefined): string[] => (value === undefined ? [] : Array.isArray(value) ? value : [value]);

function actionCovers(pattern: string, action: string): boolean {
  const escaped = pattern.toLowerCase().replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*');
  return new RegExp(`^${escaped}$`).test(action.toLowerCase());
}

function principalMatches(statement: PolicyStatement, recipient: Recipient): boolean {
  const conditionValues = (operatorPattern: RegExp, key: string): string[] =>
    Object.entries(statement.Condition ?? {})
      .filter(([operator]) => operatorPattern.test(operator))
      .flatMap(([, entries]) => Object.entries(entries).filter(([k]) => k.toLowerCase() === key.toLowerCase()).flatMap(([, v]) => list(v as string | string[])));
  const isEveryone = statement.Principal === '*' || list((statement.Principal as { AWS?: string | string[] } | undefined)?.AWS).includes('*');
  if (recipient.kind === 'account') {
    if (isEveryone) return Object.keys(statement.Condition ?? {}).length === 0;
    const principals = list((statement.Principal as { AWS?: string | string[] } | undefined)?.AWS);
    return principals.some((p) => p === recipient.accountId || p === `arn:aws:iam::${recipient.accountId}:root`);
  }
  if (!isEveryone) return false;
  if (recipient.kind === 'organization') {
    return conditionValues(/StringEquals|StringLike/i, 'aws:PrincipalOrgID').includes(recipient.organizationId);
  }
  return conditionValues(/StringEquals|StringLike/i, 'aws:PrincipalOrgPaths').some((path) => path.includes(recipient.ouId));
}

/** The key actions this recipient is not yet allowed by an Allow statement (Deny statements are not modelled). */
export function missingActions(policy: KeyPolicy, recipient: Recipient): string[] {
  const required = [...RECIPIENT_KEY_ACTIONS, GRANT_ACTION];
  return required.filter(
    (action) =>
      !policy.Statement.some(
        (statement) =>
          statement.Effect === 'Allow' &&
          principalMatches(statement, recipient) &&
          list(statement.Action).some((pattern) => actionCovers(pattern, action.replace(/\*$/, 'X'))),
      ),
  );
}

const ACCOUNTS_USE_SID = 'AmiSharingRecipientsUseKey';
const ACCOUNTS_GRANT_SID = 'AmiSharingRecipientsCreateGrant';

/** The statements to add so these recipients can launch (and copy) AMIs encrypted with the key. */
export function statementsFor(recipients: readonly Recipient[]): PolicyStatement[] {
  const statements: PolicyStatement[] = [];
  const accounts = recipients.filter((r): r is Extract<Recipient, { kind: 'account' }> => r.kind === 'account');
  if (accounts.length) {
    const principal = { AWS: accounts.map((a) => `arn:aws:iam::${a.accountId}:root`) };
    statements.push(
      { Sid: ACCOUNTS_USE_SID, Effect: 'Allow', Principal: principal, Action: [...RECIPIENT_KEY_ACTIONS], Resource: '*' },
      { Sid: ACCOUNTS_GRANT_SID, Effect: 'Allow', Principal: principal, Action: GRANT_ACTION, Resource: '*', Condition: { Bool: { 'kms:GrantIsForAWSResource': true } } },
    );
  }
  for (const recipient of recipients) {
    if (recipient.kind === 'account') continue;
    const [key, value] =
      recipient.kind === 'organization'
        ? (['aws:PrincipalOrgID', recipient.organizationId] as const)
        : (['aws:PrincipalOrgPaths', `${recipient.organizationId}/*/${recipient.ouId}/*`] as const);
    const operator = recipient.kind === 'organization' ? 'StringEquals' : 'ForAnyValue:StringLike';
    const id = recipient.kind === 'organization' ? recipient.organizationId : recipient.ouId;
    statements.push(
      { Sid: `AmiSharingUseKey${sidSafe(id)}`, Effect: 'Allow', Principal: { AWS: '*' }, Action: [...RECIPIENT_KEY_ACTIONS], Resource: '*', Condition: { [operator]: { [key]: value } } },
      {
        Sid: `AmiSharingCreateGrant${sidSafe(id)}`,
        Effect: 'Allow',
        Principal: { AWS: '*' },
        Action: GRANT_ACTION,
        Resource: '*',
        Condition: { [operator]: { [key]: value }, Bool: { 'kms:GrantIsForAWSResource': true } },
      },
    );
  }
  return statements;
}

function sidSafe(id: string): string {
  return id.replace(/[^A-Za-z0-9]/g, '');
}

/** Merges statements by Sid: principals of an existing AMI Sharing statement are extended, others added. */
export function addStatements(policy: KeyPolicy, statements: readonly PolicyStatement[]): KeyPolicy {
  const result: KeyPolicy = { ...policy, Statement: policy.Statement.map((s) => ({ ...s })) };
  for (const statement of statements) {
    const existing = result.Statement.find((s) => s.Sid !== undefined && s.Sid === statement.Sid);
    if (!existing) {
      result.Statement.push(statement);
      continue;
    }
    const merged = [...new Set([...list((existing.Principal as { AWS?: string | string[] })?.AWS), ...list((statement.Principal as { AWS?: string | string[] })?.AWS)])];
    existing.Principal = { AWS: merged.length === 1 ? merged[0]! : merged };
  }
  return result;
}

/** Removes these recipients from the statements AMI Sharing added (by Sid); other statements are untouched. */
export function removeRecipients(policy: KeyPolicy, recipients: readonly Recipient[]): KeyPolicy {
  const accountArns = new Set(recipients.flatMap((r) => (r.kind === 'account' ? [`arn:aws:iam::${r.accountId}:root`, r.accountId] : [])));
  const orgSids = new Set(recipients.flatMap((r) => (r.kind === 'account' ? [] : [r.kind === 'organization' ? r.organizationId : r.ouId].flatMap((id) => [`AmiSharingUseKey${sidSafe(id)}`, `AmiSharingCreateGrant${sidSafe(id)}`]))));
  const statements: PolicyStatement[] = [];
  for (const statement of policy.Statement) {
    if (statement.Sid && orgSids.has(statement.Sid)) continue;
    if (statement.Sid === ACCOUNTS_USE_SID || statement.Sid === ACCOUNTS_GRANT_SID) {
      const remaining = list((statement.Principal as { AWS?: string | string[] })?.AWS).filter((p) => !accountArns.has(p));
      if (remaining.length === 0) continue;
      statements.push({ ...statement, Principal: { AWS: remaining.length === 1 ? remaining[0]! : remaining } });
      continue;
    }
    statements.push(statement);
  }
  return { ...policy, Statement: statements };
}

export function formatPolicy(policy: KeyPolicy | PolicyStatement[]): string {
  return JSON.stringify(policy, null, 2);
}

/** The launch-permission entry of a recipient (the inverse of recipientFromPermission). */
export function permissionOfRecipient(recipient: Recipient): { UserId: string } | { OrganizationArn: string } | { OrganizationalUnitArn: string } {
  return recipient.kind === 'account' ? { UserId: recipient.accountId } : recipient.kind === 'organization' ? { OrganizationArn: recipient.arn } : { OrganizationalUnitArn: recipient.arn };
}

type RecipientEntry = { UserId?: string; OrganizationArn?: string; OrganizationalUnitArn?: string };

/**
 * The diff a key-policy request makes to this policy: grants for recipients the policy does not yet allow,
 * revocations only where AMI Sharing's own statements grant the recipient (other statements are not ours).
 */
export function keyPolicyDiff(policy: KeyPolicy, grant: readonly RecipientEntry[], revoke: readonly RecipientEntry[]): { add: RecipientEntry[]; remove: RecipientEntry[] } {
  const recipients = (entries: readonly RecipientEntry[]) => entries.flatMap((entry) => recipientFromPermission(entry) ?? []);
  const add = recipients(grant).filter((r) => missingActions(policy, r).length > 0);
  const remove = recipients(revoke).filter((r) => formatPolicy(removeRecipients(policy, [r])) !== formatPolicy(policy));
  return { add: add.map(permissionOfRecipient), remove: remove.map(permissionOfRecipient) };
}

/** The accounts AMI Sharing's statements currently grant (the "before" of a key-policy step, for the log). */
export function recipientsGrantedByUs(policy: KeyPolicy): RecipientEntry[] {
  const granted: RecipientEntry[] = [];
  for (const statement of policy.Statement) {
    if (statement.Sid === ACCOUNTS_USE_SID) {
      for (const principal of list((statement.Principal as { AWS?: string | string[] })?.AWS)) {
        const accountId = /^(?:arn:aws[\w-]*:iam::)?(\d{12})(?::root)?$/.exec(principal)?.[1];
        if (accountId) granted.push({ UserId: accountId });
      }
    }
  }
  return granted;
}

/** The policy after the diff: our statements merged into the policy as it is now. */
export function applyKeyPolicyDiff(policy: KeyPolicy, diff: { add: readonly RecipientEntry[]; remove: readonly RecipientEntry[] }): KeyPolicy {
  const toRecipients = (entries: readonly RecipientEntry[]) => entries.flatMap((entry) => recipientFromPermission(entry) ?? []);
  return removeRecipients(addStatements(policy, statementsFor(toRecipients(diff.add))), toRecipients(diff.remove));
}

/** The Region in a KMS key ARN (arn:PARTITION:kms:REGION:ACCOUNT:key/ID); undefined for a bare key ID or alias. */
export function regionOfKey(keyArn: string): string | undefined {
  return /^arn:aws[\w-]*:kms:([a-z0-9-]+):/.exec(keyArn)?.[1];
}

/** The account that owns a key, from its ARN (undefined for a key ID or alias). */
export function accountOfKey(keyArn: string): string | undefined {
  return /^arn:aws[\w-]*:kms:[a-z0-9-]+:(\d{12}):/.exec(keyArn)?.[1];
}
