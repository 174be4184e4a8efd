import { loadAws } from '../awsLoader';
import type { ImageRef } from '../core/changes';
import type { LaunchPermission } from '../core/types';
import type { PipelineHost } from './host';
import { runChange } from './pipeline';

/**
 * The fix for AMIs encrypted with aws/ebs: copy them re-encrypted with a customer managed key in the same
 * Region and share the copy with the same recipients, as one change (one plan, one confirmation).
 */
export async function copyWithCustomerKey(services: PipelineHost, source: ImageRef, add: LaunchPermission[]): Promise<string | undefined> {
  const [aws, gateway] = await Promise.all([loadAws(), services.gateway.get()]);
  const target = { profile: source.profile, region: source.region };
  const keys = await aws.listCustomerManagedKeys(gateway, target);
  if (keys.length === 0) {
    throw new Error(`There is no customer managed KMS key in ${source.region} for profile ${source.profile}. Create one (KMS console → Create key), then try again.`);
  }
  const keyArn = await services.prompts.pickOne(
    keys.map((key) => ({ label: key.alias ?? key.arn, description: key.arn, value: key.arn })),
    { title: `Copy ${source.imageId} encrypted with which customer managed key?`, placeHolder: 'Customer managed key' },
  );
  if (!keyArn) return undefined;
  const summary = await aws.describeImage(gateway, target, source.imageId);
  const outcome = await runChange(
    services,
    [
      {
        kind: 'copyImage',
        image: source,
        targetRegion: source.region,
        name: `${summary.name}-cmk`.slice(0, 128),
        description: `Copy of ${source.imageId} encrypted with ${keyArn}`,
        kmsKeyId: keyArn,
        thenShare: add,
      },
    ],
    { action: 'Copy with a customer managed key', title: `Copy ${source.imageId} with a customer managed key?`, confirmLabel: 'Copy', busyLabel: 'Copying…', interactive: true },
  );
  return outcome?.results[0]?.copies?.[0]?.imageId;
}
