import * as l10n from '@vscode/l10n';
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
    throw new Error(l10n.t('There is no customer managed KMS key in {0} for profile {1}. Create one (KMS console → Create key), then try again.', source.region, source.profile));
  }
  const keyArn = await services.prompts.pickOne(
    keys.map((key) => ({ label: key.alias ?? key.arn, description: key.arn, value: key.arn })),
    { title: l10n.t('Copy {0} encrypted with which customer managed key?', source.imageId), placeHolder: l10n.t('Customer managed key') },
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
        description: `Copy of ${source.imageId} encrypted with ${keyArn}`, // l10n-ignore: the copy's AMI description, stored in AWS
        kmsKeyId: keyArn,
        thenShare: add,
      },
    ],
    { action: 'Copy with a customer managed key', title: l10n.t('Copy {0} with a customer managed key?', source.imageId), confirmLabel: l10n.t('Copy'), busyLabel: l10n.t('Copying…'), interactive: true },
  );
  return outcome?.results[0]?.copies?.[0]?.imageId;
}
