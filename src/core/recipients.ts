import * as l10n from '@vscode/l10n';
import type { ChangeRequest, ImageRef } from './changes';
import { missingActions, type KeyPolicy, type Recipient } from './keyPolicy';
import type { LaunchPermission } from './types';

/**
 * Can a recipient really launch and copy a shared AMI? Plain decisions from facts gathered on both sides:
 * the owner's (launch and snapshot permissions, key policies, state) and, when a profile here belongs to the
 * recipient account, the recipient's own (visibility, Allowed AMIs, key use, a RunInstances dry run).
 * Without the recipient's side the answer is `no` where the owner's facts decide it and `unknown` otherwise:
 * never a guessed `yes`.
 */

export type Verdict = 'yes' | 'no' | 'unknown';

export interface RecipientCheck {
  accountId: string;
  profile?: string;
  canLaunch: Verdict;
  canCopy: Verdict;
  reasons: string[];
  /** What the owner can fix for this recipient (through the pipeline). */
  fixes: RecipientFix[];
}

export type RecipientFix =
  | { kind: 'snapshotPermission'; accountId: string; snapshotIds: string[] }
  | { kind: 'keyStatements'; accountId: string; keyArn: string };

export interface OwnerSnapshotFacts {
  snapshotId: string;
  encrypted: boolean;
  keyArn?: string;
  /** Accounts with createVolumePermission (`all` for public); undefined when it could not be read. */
  volumeAccounts?: string[];
}

export interface OwnerKeyFacts {
  keyArn: string;
  /** The key policy; undefined when it could not be read (then `policyError`). */
  policy?: KeyPolicy;
  policyError?: string;
  /** AWS managed (aws/ebs): never usable by another account. */
  awsManaged?: boolean;
}

export interface OwnerFacts {
  ownerId: string;
  imageId: string;
  region: string;
  state: string;
  architecture?: string;
  deprecationTime?: string;
  launchPermissions: LaunchPermission[];
  snapshots: OwnerSnapshotFacts[];
  keys: OwnerKeyFacts[];
}

/** A failed call on the recipient's side, by EC2/KMS error code and message. */
export interface CallFailure {
  code: string;
  message: string;
}

export interface RecipientSideFacts {
  profile: string;
  /** DescribeImages by id (IncludeDeprecated) from the recipient: true, or the failure. */
  visible: true | CallFailure;
  /** DescribeImages' ImageAllowed (absent while Allowed AMIs is disabled). */
  imageAllowed?: boolean;
  /** GetAllowedImagesSettings State, or the failure. */
  allowedImages?: { state: string; imageProviders: string[] } | CallFailure;
  /** kms:DescribeKey on each key ARN from the recipient: true, or the failure. */
  keyUse: Record<string, true | CallFailure>;
  /** RunInstances DryRun: true for DryRunOperation, else the failure. */
  dryRun: true | CallFailure;
  instanceType: string;
}

const isFailure = (value: unknown): value is CallFailure => typeof value === 'object' && value !== null && 'code' in value;

/** How the AMI's launch permissions reach this account. */
export type LaunchGrant = 'direct' | 'organization' | 'public' | 'none';

export function launchGrantFor(permissions: readonly LaunchPermission[], accountId: string, membershipKnown: boolean): LaunchGrant | 'unknown' {
  if (permissions.some((p) => p.UserId === accountId)) return 'direct';
  const viaOrganization = permissions.some((p) => p.OrganizationArn || p.OrganizationalUnitArn);
  if (viaOrganization && membershipKnown) return 'organization';
  if (permissions.some((p) => p.Group === 'all')) return 'public';
  return viaOrganization ? 'unknown' : 'none';
}

/** The organization/OU recipients of the AMI, whose key statements also cover their member accounts. */
function organizationRecipients(permissions: readonly LaunchPermission[]): Recipient[] {
  return permissions.flatMap((p): Recipient[] => {
    if (p.OrganizationArn) return [{ kind: 'organization', arn: p.OrganizationArn, organizationId: p.OrganizationArn.split('/').pop() ?? '' }];
    if (p.OrganizationalUnitArn) {
      const [, organizationId = '', ouId = ''] = p.OrganizationalUnitArn.split('/');
      return [{ kind: 'organizationalUnit', arn: p.OrganizationalUnitArn, organizationId, ouId }];
    }
    return [];
  });
}

/** Whether the owner's key policy lets the account use the key: 'yes', 'no' (actions missing) or 'unknown'. */
export function keyPolicyAllows(key: OwnerKeyFacts, accountId: string, grant: LaunchGrant | 'unknown', permissions: readonly LaunchPermission[]): { verdict: Verdict; missing: string[] } {
  if (key.awsManaged) return { verdict: 'no', missing: [] };
  if (!key.policy) return { verdict: 'unknown', missing: [] };
  const missing = missingActions(key.policy, { kind: 'account', accountId });
  if (missing.length === 0) return { verdict: 'yes', missing };
  // A statement for the organization or OU covers member accounts; membership decides, which only the recipient's side shows.
  const viaOrganization = organizationRecipients(permissions).some((recipient) => missingActions(key.policy!, recipient).length === 0);
  if (viaOrganization) return { verdict: grant === 'organization' ? 'yes' : 'unknown', missing: [] };
  const conditional = key.policy.Statement.some((s) => s.Effect === 'Allow' && s.Condition !== undefined && (s.Principal === '*' || (typeof s.Principal === 'object' && ([] as string[]).concat(s.Principal.AWS ?? []).includes('*'))));
  return { verdict: conditional ? 'unknown' : 'no', missing };
}

function describeFailure(failure: CallFailure): string {
  return `${failure.code}: ${failure.message}`;
}

/** A RunInstances DryRun failure in plain words. */
export function dryRunReason(failure: CallFailure, facts: { accountId: string; region: string; instanceType: string }): string {
  switch (failure.code) {
    case 'InvalidAMIID.NotFound':
      return l10n.t('RunInstances from account {0} cannot find the AMI in {1}: it is not shared with this account (or Allowed AMIs hides it).', facts.accountId, facts.region);
    case 'InvalidAMIID.Unavailable':
      return l10n.t('RunInstances refuses the AMI: it is not available.');
    case 'UnauthorizedOperation':
      return l10n.t('IAM in account {0} does not allow this profile ec2:RunInstances with this AMI.', facts.accountId);
    case 'InvalidParameterValue':
      return l10n.t('RunInstances with {0} was refused: {1}', facts.instanceType, failure.message);
    default:
      return l10n.t('RunInstances (DryRun) failed: {0}', describeFailure(failure));
  }
}

/** Errors that say nothing about the AMI (credentials, throttling, network): the answer stays unknown. */
function isInconclusive(failure: CallFailure): boolean {
  return !['InvalidAMIID.NotFound', 'InvalidAMIID.Unavailable', 'UnauthorizedOperation', 'InvalidParameterValue', 'InvalidAMIID.Malformed'].includes(failure.code);
}

const worst = (a: Verdict, b: Verdict): Verdict => (a === 'no' || b === 'no' ? 'no' : a === 'unknown' || b === 'unknown' ? 'unknown' : 'yes');

export function decideRecipient(owner: OwnerFacts, accountId: string, recipient?: RecipientSideFacts, now: Date = new Date()): RecipientCheck {
  const reasons: string[] = [];
  const fixes: RecipientFix[] = [];
  const grant = launchGrantFor(owner.launchPermissions, accountId, recipient !== undefined && recipient.visible === true);
  let launch: Verdict = 'yes';
  let copy: Verdict = 'yes';

  if (owner.state !== 'available') {
    reasons.push(l10n.t('The AMI is {0}, not available.', owner.state));
    launch = 'no';
    copy = 'no';
  }
  if (grant === 'none') {
    reasons.push(l10n.t('The AMI\'s launch permissions do not include account {0}.', accountId));
    launch = 'no';
    copy = 'no';
  } else if (grant === 'unknown') {
    reasons.push(l10n.t('Shared with an organization or OU: whether account {0} is a member is not known here.', accountId));
    launch = worst(launch, 'unknown');
    copy = worst(copy, 'unknown');
  }
  if (owner.deprecationTime && Date.parse(owner.deprecationTime) <= now.getTime()) {
    reasons.push(l10n.t('Deprecated since {0}: hidden from the recipient\'s listings (launching by ID still works).', owner.deprecationTime));
  }

  // Keys of encrypted snapshots: the owner's key policy, and (from the recipient) kms:DescribeKey.
  for (const key of owner.keys) {
    const policy = keyPolicyAllows(key, accountId, grant, owner.launchPermissions);
    if (key.awsManaged) {
      reasons.push(l10n.t('Snapshots use the AWS managed key {0} (aws/ebs), which no other account can use.', key.keyArn));
    } else if (policy.verdict === 'no') {
      reasons.push(l10n.t('The key policy of {0} does not allow account {1} {2}.', key.keyArn, accountId, policy.missing.join(', ')));
      fixes.push({ kind: 'keyStatements', accountId, keyArn: key.keyArn });
    } else if (policy.verdict === 'unknown') {
      reasons.push(key.policy ? l10n.t('Whether the key policy of {0} covers account {1} depends on its organization membership.', key.keyArn, accountId) : l10n.t('The key policy of {0} could not be read: {1}.', key.keyArn, key.policyError ?? l10n.t('unknown error')));
    }
    let verdict = policy.verdict;
    const use = recipient?.keyUse[key.keyArn];
    if (isFailure(use)) {
      reasons.push(l10n.t('Account {0} cannot use the key {1} (kms:DescribeKey: {2}).', accountId, key.keyArn, describeFailure(use)));
      verdict = 'no';
    } else if (use === true && verdict === 'unknown' && key.policy) {
      verdict = 'yes';
    }
    launch = worst(launch, verdict);
    copy = worst(copy, verdict);
  }

  // Copying needs createVolumePermission on every snapshot (accounts only: snapshots cannot be shared with organizations).
  const unreadable = owner.snapshots.filter((s) => s.volumeAccounts === undefined);
  const lacking = owner.snapshots.filter((s) => s.volumeAccounts && !s.volumeAccounts.includes(accountId) && !s.volumeAccounts.includes('all'));
  if (lacking.length > 0) {
    reasons.push(lacking.length > 1
        ? l10n.t('Snapshots {0} have no createVolumePermission for account {1}: it can launch but not copy the AMI.', lacking.map((s) => s.snapshotId).join(', '), accountId)
        : l10n.t('Snapshot {0} has no createVolumePermission for account {1}: it can launch but not copy the AMI.', lacking.map((s) => s.snapshotId).join(', '), accountId));
    copy = 'no';
    fixes.push({ kind: 'snapshotPermission', accountId, snapshotIds: lacking.map((s) => s.snapshotId) });
  } else if (unreadable.length > 0) {
    reasons.push(l10n.t('The snapshot permissions of {0} could not be read.', unreadable.map((s) => s.snapshotId).join(', ')));
    copy = worst(copy, 'unknown');
  }

  if (!recipient) {
    reasons.push(l10n.t('No profile here belongs to account {0}: only the owner\'s side was checked.', accountId));
    if (launch === 'yes') launch = 'unknown';
    if (copy === 'yes') copy = 'unknown';
    return { accountId, canLaunch: launch, canCopy: copy, reasons, fixes };
  }

  // The recipient's side.
  const allowed = recipient.allowedImages;
  if (allowed && !isFailure(allowed) && allowed.state === 'enabled' && !allowed.imageProviders.includes(owner.ownerId)) {
    reasons.push(l10n.t('Allowed AMIs is enabled in account {0} ({1}) and does not allow AMIs from owner {2}: the recipient must add it to the image providers.', accountId, owner.region, owner.ownerId));
    launch = 'no';
    copy = 'no';
  } else if (recipient.imageAllowed === false && allowed && !isFailure(allowed) && allowed.state === 'audit-mode') {
    reasons.push(l10n.t('Allowed AMIs (audit mode) in account {0} would not allow this AMI once enabled.', accountId));
  }
  if (isFailure(recipient.visible)) {
    if (isInconclusive(recipient.visible)) {
      reasons.push(l10n.t('Could not check from profile {0}: {1}', recipient.profile, describeFailure(recipient.visible)));
      launch = worst(launch, 'unknown');
      copy = worst(copy, 'unknown');
    } else {
      reasons.push(l10n.t('Profile {0} cannot see the AMI by its ID in {1}.', recipient.profile, owner.region));
      launch = 'no';
      copy = 'no';
    }
  }
  if (recipient.dryRun === true) {
    // DryRunOperation: EC2 would launch. Key use is not part of a dry run, so key verdicts above still count.
  } else if (isInconclusive(recipient.dryRun)) {
    reasons.push(l10n.t('Could not check the launch from profile {0}: {1}', recipient.profile, describeFailure(recipient.dryRun)));
    launch = worst(launch, 'unknown');
  } else {
    const reason = dryRunReason(recipient.dryRun, { accountId, region: owner.region, instanceType: recipient.instanceType });
    if (!reasons.includes(reason)) reasons.push(reason);
    launch = 'no';
  }
  return { accountId, profile: recipient.profile, canLaunch: launch, canCopy: copy, reasons, fixes };
}

/** "3 of 4 recipients can launch" for tooltips. */
export function recipientsSummary(results: readonly Pick<RecipientCheck, 'canLaunch'>[]): string {
  const yes = results.filter((r) => r.canLaunch === 'yes').length;
  const unknown = results.filter((r) => r.canLaunch === 'unknown').length;
  const base = `${yes} of ${results.length} recipient${results.length === 1 ? '' : 's'} can launch`;
  return unknown > 0 ? l10n.t('{0} ({1} unknown)', base, unknown) : base;
}

/** An instance type that fits the AMI's architecture, small and available in every Region. */
export function instanceTypeFor(architecture: string | undefined): string {
  return architecture === 'arm64' ? 't4g.micro' : 't3.micro';
}

/**
 * A fix as the pipeline's change requests: createVolumePermission for the account on each snapshot that
 * lacks it, or AMI Sharing's key-policy statements for the account. Nothing else: the owner cannot fix the
 * recipient's IAM or Allowed AMIs.
 */
export function fixRequests(fix: RecipientFix, image: ImageRef): ChangeRequest[] {
  if (fix.kind === 'snapshotPermission') {
    return fix.snapshotIds.map((snapshotId) => ({ kind: 'snapshotPermissions', image, mode: { add: [{ UserId: fix.accountId }], remove: [], snapshotId } }));
  }
  return [{ kind: 'keyPolicy', profile: image.profile, keyArn: fix.keyArn, grant: [{ UserId: fix.accountId }], revoke: [], forImages: [image.imageId] }];
}
