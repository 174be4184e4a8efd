import { uniqueBy } from '../core/collections';
import type { ShareFinding } from '../aws/guardrails';
import { describeRecipient, type Recipient } from '../core/keyPolicy';
import type { ImageSummary, LaunchPermission } from '../core/types';
import { loadAws } from '../awsLoader';
import type { Services } from '../services';
import type { ImageRef } from './imageRefs';
import { applyKeyPolicyChange, copyStatements } from './keyPolicyFix';

export interface GuardOutcome {
  /** AMIs to share. */
  proceed: ImageRef[];
  /** AMIs not shared, and why (nothing was sent to EC2 for them). */
  blocked: Array<{ image: ImageRef; message: string }>;
  /** Warnings per AMI ID that the caller accepted (scripts get them in their results). */
  warnings: Map<string, string[]>;
}

/**
 * Runs the sharing rules before a share: blockers (AMI not available, AWS managed key, public access
 * blocked) take an AMI out with a reason and, interactively, an offered fix; key-policy gaps offer to add
 * the statements; making an AMI public always asks, naming the risk. Undefined = the user cancelled.
 */
export async function guardShare(services: Services, images: ImageRef[], add: LaunchPermission[], interactive: boolean): Promise<GuardOutcome | undefined> {
  const [aws, gateway] = await Promise.all([loadAws(), services.gateway.get()]);
  const cache = aws.newGuardCache();
  // One DescribeImages per profile and Region (100 IDs a call) instead of one per AMI.
  const summaries = new Map<string, ImageSummary>();
  const groups = aws.groupBy(images, aws.byProfileAndRegion);
  await Promise.all(
    [...groups.values()].map(async (group) => {
      const target = { profile: group[0]!.profile, region: group[0]!.region };
      const found = await aws.describeImagesByIds(gateway, target, group.map((i) => i.imageId)).catch((error: unknown) => {
        services.log.warn(`Pre-share check in ${target.profile}/${target.region} failed: ${(error as Error).message}`);
        return new Map<string, ImageSummary>();
      });
      for (const image of group) {
        const summary = found.get(image.imageId);
        if (summary) summaries.set(`${image.profile}\u0000${image.region}\u0000${image.imageId}`, summary);
      }
    }),
  );
  const checks = await aws.runGrouped(images, aws.byProfileAndRegion, 8, async (image) => {
    const target = { profile: image.profile, region: image.region };
    const summary = summaries.get(`${image.profile}\u0000${image.region}\u0000${image.imageId}`);
    // Not found here: the share itself reports the AMI's error (wrong Region, deregistered).
    if (!summary) return { image, summary, findings: [] as ShareFinding[] };
    try {
      return { image, summary, findings: (await aws.checkShare(gateway, target, summary, add, { cache })).findings };
    } catch (error) {
      services.log.warn(`Pre-share check of ${image.imageId} failed: ${(error as Error).message}`);
      return { image, summary, findings: [] as ShareFinding[] };
    }
  }).then((all) => all.flatMap((check) => (check ? [check] : [])));
  const blocked = checks.flatMap(({ image, findings }) => {
    const blockers = findings.filter((f) => f.severity === 'blocker');
    return blockers.length ? [{ image, message: blockers.map((f) => f.message).join(' ') }] : [];
  });
  const blockedIds = new Set(blocked.map((b) => b.image.imageId));
  const remaining = checks.filter(({ image }) => !blockedIds.has(image.imageId));
  const warnings = new Map<string, string[]>();

  if (interactive && blocked.length) {
    const awsKeyImages = checks.filter(({ findings }) => findings.some((f) => f.code === 'awsManagedKey'));
    const actions = [...(awsKeyImages.length === 1 ? ['Copy with a customer managed key…'] : []), ...(remaining.length ? [`Share the other ${remaining.length}`] : [])];
    const choice = await services.prompts.choose(
      blocked.length === 1 ? `${blocked[0]!.image.imageId} cannot be shared` : `${blocked.length} AMIs cannot be shared`,
      blocked.map((b) => b.message).join('\n\n'),
      actions,
    );
    if (choice === 'Copy with a customer managed key…') {
      const { copyWithCustomerKey } = await import('./copyWithCustomerKey');
      const source = awsKeyImages[0]!;
      await copyWithCustomerKey(services, source.image, source.summary?.name ?? source.image.imageId, add);
      return undefined;
    }
    if (!choice || remaining.length === 0) return undefined;
  }

  const publicRisk = remaining.flatMap(({ findings }) => findings.filter((f) => f.code === 'publicRisk'));
  if (publicRisk.length) {
    const confirmed = await services.prompts.confirm(
      `Make ${publicRisk.length === 1 ? publicRisk[0]!.imageId : `${publicRisk.length} AMIs`} public?`,
      publicRisk[0]!.message,
      'Make public',
    );
    if (!confirmed) return undefined;
  }

  const keyFindings = remaining.flatMap(({ findings }) => findings.filter((f) => f.code === 'keyPolicy'));
  for (const finding of keyFindings) warnings.set(finding.imageId, [...(warnings.get(finding.imageId) ?? []), finding.message]);
  if (interactive && keyFindings.length) {
    const proceed = await resolveKeyFindings(services, remaining[0]!.image.profile, keyFindings);
    if (!proceed) return undefined;
  }
  return { proceed: remaining.map(({ image }) => image), blocked, warnings };
}

async function resolveKeyFindings(services: Services, profile: string, findings: ShareFinding[]): Promise<boolean> {
  const byKey = new Map(findings.flatMap((f) => (f.keyAccess ? [[f.keyAccess.keyArn, f.keyAccess] as const] : [])));
  const recipients = uniqueRecipients([...byKey.values()].flatMap((a) => a.missing.map((m) => m.recipient)));
  const detail = [
    ...new Set(findings.map((f) => f.message)),
    '',
    `Keys: ${[...byKey.keys()].join(', ')}`,
    `Recipients who need access: ${recipients.map(describeRecipient).join(', ')}`,
  ].join('\n');
  const choice = await services.prompts.choose('Recipients need access to the encryption key', detail, ['Add key policy statements…', 'Copy statements JSON', 'Share anyway']);
  if (choice === 'Copy statements JSON') {
    await copyStatements(recipients);
    return true;
  }
  if (choice === 'Add key policy statements…') {
    for (const access of byKey.values()) {
      const updated = await applyKeyPolicyChange(services, profile, access, 'grant', access.missing.map((m) => m.recipient));
      if (!updated) return false;
    }
    return true;
  }
  return choice === 'Share anyway';
}

function uniqueRecipients(recipients: Recipient[]): Recipient[] {
  return uniqueBy(recipients, describeRecipient);
}
