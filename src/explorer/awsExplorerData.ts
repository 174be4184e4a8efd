import { describeAwsError } from '../core/errors';
import { filterProfiles } from '../core/profiles';
import type { AwsTarget } from '../core/types';
import { loadAws, type LazyGateway } from '../awsLoader';
import type { ExplorerData } from '../tree/explorerData';

export interface ExplorerDataSettings {
  profileFilter(): string[];
  rememberedRegions(profile: string): string[] | undefined;
  /** Told how many profiles the AWS files have and how many the amiSharing.profiles setting leaves (welcome views). */
  onProfiles?(configured: number, shown: number): void;
}

/** Backs the tree with the gateway; nothing here runs until the view asks for data. */
export function createAwsExplorerData(gateway: LazyGateway, settings: ExplorerDataSettings): ExplorerData {
  return {
    async profiles() {
      const config = await (await gateway.get()).sharedConfig();
      const shown = filterProfiles(config.profiles, settings.profileFilter());
      settings.onProfiles?.(config.profiles.length, shown.length);
      return shown;
    },
    async accountId(profile) {
      return (await gateway.get()).accountId(profile);
    },
    async regions(profile) {
      const remembered = settings.rememberedRegions(profile);
      if (remembered && remembered.length > 0) return remembered;
      return [await (await gateway.get()).defaultRegion(profile)];
    },
    async listImages(target: AwsTarget, group, onPage) {
      const [aws, instance] = await Promise.all([loadAws(), gateway.get()]);
      return aws.listImages(instance, target, group === 'owned' ? 'owned' : 'sharedWithMe', { priority: 'user', onPage });
    },
    async blockPublicAccess(target) {
      const [aws, instance] = await Promise.all([loadAws(), gateway.get()]);
      return aws.getBlockPublicAccessState(instance, target, { priority: 'background' });
    },
    async launchPermissions(target, imageId, priority) {
      const [aws, instance] = await Promise.all([loadAws(), gateway.get()]);
      return aws.getLaunchPermissions(instance, target, imageId, { priority });
    },
    async snapshotPermissionsMatch(target, snapshotIds, launch) {
      const [aws, instance] = await Promise.all([loadAws(), gateway.get()]);
      const volumes = await Promise.all(snapshotIds.map((id) => aws.getVolumePermissions(instance, target, id, { priority: 'user' })));
      return aws.snapshotPermissionsMatch(launch, volumes);
    },
    async receivedCopy(target, snapshotIds) {
      const [aws, instance] = await Promise.all([loadAws(), gateway.get()]);
      return aws.receivedCopyCheck(instance, target, snapshotIds, { priority: 'user' });
    },
    explain(error, context) {
      const described = (error as { described?: { message: string; ssoLoginNeeded: boolean } }).described ?? describeAwsError(error, context);
      return { message: described.message, ssoLoginNeeded: described.ssoLoginNeeded };
    },
  };
}
