import * as vscode from 'vscode';
import type { LaunchPermission } from '../core/types';
import { loadAws } from '../awsLoader';
import type { Services } from '../services';
import type { ImageRef } from './imageRefs';

/**
 * The fix for AMIs encrypted with aws/ebs: copy them re-encrypted with a customer managed key in the same
 * Region, wait until the copy is available, then offer to share the copy with the same recipients.
 */
export async function copyWithCustomerKey(services: Services, source: ImageRef, sourceName: string, add: LaunchPermission[]): Promise<string | undefined> {
  const [aws, gateway] = await Promise.all([loadAws(), services.gateway.get()]);
  const keys = await aws.listCustomerManagedKeys(gateway, { profile: source.profile, region: source.region });
  if (keys.length === 0) {
    throw new Error(`There is no customer managed KMS key in ${source.region} for profile ${source.profile}. Create one (KMS console → Create key), then try again.`);
  }
  const keyArn = await services.prompts.pickOne(
    keys.map((key) => ({ label: key.alias ?? key.arn, description: key.arn, value: key.arn })),
    { title: `Copy ${source.imageId} encrypted with which customer managed key?`, placeHolder: 'Customer managed key' },
  );
  if (!keyArn) return undefined;
  const copyId = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: `Copying ${source.imageId} with a customer managed key`, cancellable: true },
    async (progress, token) => {
      const controller = new AbortController();
      token.onCancellationRequested(() => controller.abort());
      const imageId = await aws.copyImage(gateway, {
        profile: source.profile,
        sourceRegion: source.region,
        targetRegion: source.region,
        sourceImageId: source.imageId,
        name: `${sourceName}-cmk`.slice(0, 128),
        description: `Copy of ${source.imageId} encrypted with ${keyArn}`,
        kmsKeyId: keyArn,
      });
      progress.report({ message: `${imageId} is pending…` });
      await aws.waitForAvailable(gateway, source.profile, source.region, imageId, { signal: controller.signal, onState: (state) => progress.report({ message: `${imageId}: ${state}` }) });
      return imageId;
    },
  );
  services.model.refreshProfile(source.profile);
  if (add.length === 0) return copyId;
  const share = await services.prompts.confirm(`${copyId} is available. Share it with the same ${add.length} recipients?`, add.map((p) => Object.values(p)[0]).join(', '), 'Share the copy');
  if (share) {
    const { shareImage } = await import('./permissionCommands');
    await shareImage(services, {
      profile: source.profile,
      region: source.region,
      imageIds: [copyId],
      accountIds: add.flatMap((p) => (p.UserId ? [p.UserId] : [])),
      organizationArns: add.flatMap((p) => (p.OrganizationArn ? [p.OrganizationArn] : [])),
      organizationalUnitArns: add.flatMap((p) => (p.OrganizationalUnitArn ? [p.OrganizationalUnitArn] : [])),
    });
  }
  return copyId;
}
