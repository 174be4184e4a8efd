/** Formats EC2 checks before accepting ids and launch-permission values (see the sharing notes). */

export const ACCOUNT_ID = /^\d{12}$/;
export const AMI_ID = /^ami-(?:[0-9a-f]{8}|[0-9a-f]{17})$/;
export const SNAPSHOT_ID = /^snap-(?:[0-9a-f]{8}|[0-9a-f]{17})$/;

const PARTITION = '(?:aws|aws-cn|aws-us-gov)';
const ORG_ID = 'o-[a-z0-9]{10,32}';
export const ORGANIZATION_ARN = new RegExp(`^arn:${PARTITION}:organizations::\\d{12}:organization/${ORG_ID}$`);
export const ORGANIZATIONAL_UNIT_ARN = new RegExp(
  `^arn:${PARTITION}:organizations::\\d{12}:ou/${ORG_ID}/ou-[a-z0-9]{4,32}-[a-z0-9]{8,32}$`,
);

/** `o-…` from an organization ARN (or an OU ARN). */
export function organizationIdOf(arn: string): string | undefined {
  return /(o-[a-z0-9]{10,32})/.exec(arn)?.[1];
}

/** The last `ou-…` of an OU ARN. */
export function organizationalUnitIdOf(arn: string): string | undefined {
  return /\/(ou-[a-z0-9]{4,32}-[a-z0-9]{8,32})$/.exec(arn)?.[1];
}
