import type { AllowedImagesFixture } from '../fixture/fixture';
import type { EndpointState, ImageRecord } from '../state';

/**
 * Allowed AMIs (EC2 User Guide, "Control the discovery and use of AMIs in Amazon EC2 with Allowed AMIs"):
 * per account and Region; `disabled` puts no restriction; `audit-mode` restricts nothing but DescribeImages
 * reports `ImageAllowed`; `enabled` makes AMIs that match no criterion undiscoverable and unusable. The
 * account's own AMIs are never restricted. Only the ImageProviders criterion is modelled.
 */

/** Whether the criteria allow this AMI for this account (its own AMIs always). */
export function criteriaAllow(settings: AllowedImagesFixture, image: ImageRecord, accountId: string): boolean {
  if (image.ownerId === accountId) {
    return true;
  }
  return settings.imageProviders.includes(image.ownerId);
}

/** One account's Allowed AMIs in one Region, read once for every AMI of a request. */
export function allowedImagesOf(state: EndpointState, accountId: string, region: string) {
  const settings = state.allowedImages(accountId, region);
  return {
    /** `ImageAllowed` as DescribeImages reports it to this account: absent while Allowed AMIs is disabled. */
    field: (image: ImageRecord): boolean | undefined => (settings.state === 'disabled' ? undefined : criteriaAllow(settings, image, accountId)),
    /** False when Allowed AMIs is enabled and keeps this AMI from the account (hidden and not launchable). */
    usable: (image: ImageRecord): boolean => settings.state !== 'enabled' || criteriaAllow(settings, image, accountId),
  };
}

/** False when Allowed AMIs is enabled and keeps this AMI from the account (hidden and not launchable). */
export function usableUnderAllowedImages(state: EndpointState, image: ImageRecord, accountId: string, region: string): boolean {
  return allowedImagesOf(state, accountId, region).usable(image);
}

const PROVIDER_ALIASES = new Set(['amazon', 'aws-marketplace', 'aws-backup-vault', 'none']);

/** Checks a control-API body; returns undefined when it is fine, else the problem. */
export function allowedImagesProblem(settings: { state?: unknown; imageProviders?: unknown }): string | undefined {
  if (settings.state !== 'disabled' && settings.state !== 'enabled' && settings.state !== 'audit-mode') {
    return 'state must be "disabled", "enabled" or "audit-mode"';
  }
  const providers = settings.imageProviders ?? [];
  if (!Array.isArray(providers) || !providers.every((p) => typeof p === 'string' && (PROVIDER_ALIASES.has(p) || /^\d{12}$/.test(p)))) {
    return 'imageProviders must be an array of account ids, "amazon", "aws-marketplace", "aws-backup-vault" or "none"';
  }
  if (providers.length > 200) {
    return 'imageProviders takes at most 200 entries';
  }
  return undefined;
}
