import type { ImageSummary, LaunchPermission } from '../types';
import { matchesGlob } from './glob';
import type { SharingPolicy } from './types';

/** AMIs in these states are never reconciled: they cannot be launched and will not become launchable. */
const DEAD_STATES = new Set(['failed', 'error', 'invalid', 'deregistered']);

/** A policy covers an AMI when the name matches its glob and every tag it lists is on the AMI with that value. */
export function policyMatches(policy: SharingPolicy, image: ImageSummary): boolean {
  if (DEAD_STATES.has(image.state)) return false;
  const { namePattern, tags } = policy.images;
  if (namePattern !== undefined && !matchesGlob(image.name, namePattern)) return false;
  return Object.entries(tags ?? {}).every(([key, value]) => image.tags?.[key] === value);
}

/** The launch permissions a policy asks for, in EC2's shapes. */
export function desiredPermissions(policy: SharingPolicy): LaunchPermission[] {
  return [
    ...(policy.public === true ? [{ Group: 'all' as const }] : []),
    ...(policy.share.accounts ?? []).map((UserId) => ({ UserId })),
    ...(policy.share.organizations ?? []).map((OrganizationArn) => ({ OrganizationArn })),
    ...(policy.share.organizationalUnits ?? []).map((OrganizationalUnitArn) => ({ OrganizationalUnitArn })),
  ];
}

/** Every (profile, Region) a manifest reads, once. */
export function targetsOf(policies: readonly SharingPolicy[]): Array<{ profile: string; region: string }> {
  const seen = new Map<string, { profile: string; region: string }>();
  for (const policy of policies) for (const region of policy.regions) seen.set(`${policy.profile}\u0000${region}`, { profile: policy.profile, region });
  return [...seen.values()];
}
