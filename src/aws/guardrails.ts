import * as l10n from '@vscode/l10n';
import { inspectImageEncryption, keyAccessOf, readKeyPolicyForCheck, type ImageEncryption, type KeyAccess, type KeyCache, type KeyPolicyRead } from './encryption';
import type { AwsGateway, CallOptions } from './gateway';
import { getBlockPublicAccessState } from './images';
import { memoized } from '../core/collections';
import { describeRecipient, recipientFromPermission } from '../core/keyPolicy';
import type { AwsTarget, ImageSummary, LaunchPermission } from '../core/types';

/**
 * Checks the AMI-sharing rules before a share is sent, so failures that EC2 would report late (or not at
 * all, when the recipient only finds out at launch) are explained first.
 */
export type FindingCode = 'notAvailable' | 'awsManagedKey' | 'keyPolicy' | 'publicBlocked' | 'publicRisk' | 'encryptedPublic' | 'checkFailed';

export interface ShareFinding {
  imageId: string;
  code: FindingCode;
  /** Blockers stop the share of that AMI; warnings need the user's decision; a check that could not run blocks until the user goes on without it. */
  severity: 'blocker' | 'warning' | 'checkFailed';
  /** For checkFailed: the check that could not run. */
  check?: string;
  message: string;
  keyAccess?: KeyAccess;
}

export interface ShareCheck {
  image: ImageSummary;
  findings: ShareFinding[];
  encryption?: ImageEncryption;
}

/**
 * Per-action memo: each key is described and each key policy read once, however many AMIs use it. The
 * policy is kept, not a verdict: AMIs of one action may add different recipients (a matrix save).
 */
export interface GuardCache {
  keys: KeyCache;
  keyPolicies: Map<string, Promise<KeyPolicyRead>>;
  /** Per AMI's snapshots: a check started early (while the AMI's permissions are read) is not read twice. */
  encryption: Map<string, Promise<ImageEncryption>>;
}

export function newGuardCache(): GuardCache {
  return { keys: new Map(), keyPolicies: new Map(), encryption: new Map() };
}

/**
 * Whether the share check of this AMI reads its snapshots and keys (three round trips that depend on each
 * other) rather than deciding from the AMI's summary alone.
 */
export function shareCheckReadsKeys(image: ImageSummary): boolean {
  return image.state === 'available' && image.snapshotIds.length > 0 && image.anyEncrypted;
}

export async function checkShare(
  gateway: AwsGateway,
  target: AwsTarget,
  image: ImageSummary,
  add: readonly LaunchPermission[],
  options: CallOptions & { blockPublicAccess?: string; cache?: GuardCache } = {},
): Promise<ShareCheck> {
  const cache = options.cache ?? newGuardCache();
  const findings: ShareFinding[] = [];
  const id = image.imageId;
  if (image.state !== 'available') {
    findings.push({ imageId: id, code: 'notAvailable', severity: 'blocker', message: l10n.t('{0} is {1}: only available AMIs can be shared. Try again once it is available.', id, image.state) });
    return { image, findings };
  }
  const makingPublic = add.some((p) => p.Group === 'all');
  if (makingPublic) {
    let state = options.blockPublicAccess;
    if (state === undefined) {
      try {
        state = await getBlockPublicAccessState(gateway, target, options);
      } catch (error) {
        findings.push(checkFailed(id, l10n.t('block public access for AMIs (GetImageBlockPublicAccessState)'), error));
      }
    }
    if (state === 'block-new-sharing') {
      findings.push({
        imageId: id,
        code: 'publicBlocked',
        severity: 'blocker',
        message: l10n.t('Block public access for AMIs is on in {0} for this account, so {1} cannot be made public. Turn it off in the EC2 console (Data protection and security) or with "aws ec2 disable-image-block-public-access", if your organization allows it; changes take up to 10 minutes.', target.region, id),
      });
    } else {
      findings.push({
        imageId: id,
        code: 'publicRisk',
        severity: 'warning',
        message: l10n.t('Making {0} public lets every AWS account launch it and copy what is on its disks. Anything in the image (keys, credentials, internal software) becomes public. At most 5 public AMIs are allowed per Region.', id),
      });
    }
  }
  if (!shareCheckReadsKeys(image)) return { image, findings };

  const recipients = add.flatMap((p) => {
    const recipient = recipientFromPermission(p);
    return recipient ? [recipient] : [];
  });
  const keyPolicy = (keyArn: string): Promise<KeyPolicyRead> =>
    memoized(cache.keyPolicies, `${target.profile}\u0000${keyArn}`, () => readKeyPolicyForCheck(gateway, target.profile, keyArn, options));
  let encryption: ImageEncryption;
  try {
    // Key policies are read alongside DescribeKey (snapshots name their keys by ARN): a round trip less before
    // the first write of a bulk share. A policy read for a key that turns out AWS managed is simply unused.
    const prefetch = recipients.length > 0 && !makingPublic ? (keyIds: readonly string[]) => keyIds.forEach((keyId) => void keyPolicy(keyId)) : undefined;
    encryption = await memoized(cache.encryption, `${target.profile}\u0000${target.region}\u0000${image.snapshotIds.join(',')}`, () =>
      inspectImageEncryption(gateway, target, image.snapshotIds, options, cache.keys, prefetch),
    );
  } catch (error) {
    findings.push(checkFailed(id, l10n.t('snapshot encryption (DescribeSnapshots)'), error));
    return { image, findings };
  }
  for (const snapshot of encryption.snapshots) {
    if (snapshot.encrypted && snapshot.keyManager === 'unknown') {
      findings.push(checkFailed(id, l10n.t('the KMS key of {0} (DescribeKey)', snapshot.snapshotId), new Error(snapshot.keyError ?? l10n.t('key could not be described'))));
    }
  }
  if (encryption.usesAwsManagedKey) {
    findings.push({
      imageId: id,
      code: 'awsManagedKey',
      severity: 'blocker',
      message: l10n.t('{0} has snapshots encrypted with the AWS managed key (aws/ebs). AMIs encrypted with that key cannot be shared. Copy the AMI with a customer managed key and share the copy.', id),
    });
    return { image, findings, encryption };
  }
  if (makingPublic) {
    findings.push({ imageId: id, code: 'encryptedPublic', severity: 'blocker', message: l10n.t('{0} has encrypted snapshots: encrypted AMIs cannot be made public.', id) });
  }
  if (recipients.length === 0) return { image, findings, encryption };
  const accesses: KeyAccess[] = await Promise.all(encryption.customerManagedKeys.map(async (keyArn) => keyAccessOf(keyArn, await keyPolicy(keyArn), recipients)));
  for (const access of accesses) {
    if (access.error) {
      findings.push(checkFailed(id, l10n.t('the key policy of {0} (GetKeyPolicy)', access.keyArn), new Error(access.error)));
      continue;
    }
    if (access.missing.length === 0) continue;
    findings.push({ imageId: id, code: 'keyPolicy', severity: 'warning', message: keyMessage(id, access), keyAccess: access });
  }
  return { image, findings, encryption };
}

function keyMessage(imageId: string, access: KeyAccess): string {
  const who = access.missing.map(({ recipient }) => describeRecipient(recipient)).join(', ');
  if (access.error) return l10n.t('Could not read the key policy of {0} ({1}); {2} must be allowed to use that key to launch {3}.', access.keyArn, access.error, who, imageId);
  return access.missing.some(({ recipient }) => recipient.kind !== 'account')
    ? l10n.t(
        '{0} is encrypted with customer managed key {1}. Its key policy does not yet allow {2}: they could not launch the AMI (instances would fail to start). For organizations and OUs the statements use the aws:PrincipalOrgID / aws:PrincipalOrgPaths conditions.',
        imageId,
        access.keyArn,
        who,
      )
    : l10n.t('{0} is encrypted with customer managed key {1}. Its key policy does not yet allow {2}: they could not launch the AMI (instances would fail to start).', imageId, access.keyArn, who);
}

/** A check that could not run: it names the check and the error, and blocks until the user goes on without it. */
export function checkFailed(imageId: string, check: string, error: unknown): ShareFinding {
  const reason = error instanceof Error ? error.message : String(error);
  return { imageId, code: 'checkFailed', severity: 'checkFailed', check, message: l10n.t('The check of {0} for {1} could not run: {2}', check, imageId, reason) };
}
