/** Everything that needs the AWS SDK; the extension loads this module lazily on first use. */
export { AwsGateway, AwsActionError, type GatewayOptions, type CallOptions } from './gateway';
export { listImages, describeImage, describeImagesByIds, describeImagesByIdsInChunks, getLaunchPermissions, modifyLaunchPermissions, listRegionNames, getBlockPublicAccessState } from './images';
export { describeAwsError } from '../core/errors';
export { RateLimiter } from '../core/rateLimiter';
export { checkShare, newGuardCache, shareCheckReadsKeys, type GuardCache, type ShareCheck, type ShareFinding } from './guardrails';
export { inspectImageEncryption, keyAccessFor, getKeyPolicy, putKeyPolicy, listCustomerManagedKeys, describeSnapshots } from './encryption';
export { copyImage, waitForAvailable } from './copyImage';
export { readImageSetting, writeImageSetting, normalizeProtection, describeLifecycle } from './lifecycle';
export { getVolumePermissions, modifyVolumePermissions, snapshotPermissionsMatch } from './snapshotPermissions';
export { checkRecipients, gatherOwnerFacts, profilesByAccount, type CheckRecipientsRequest } from './recipients';
export { readImageUsage, lastLaunchedTime, imageReferenceCounts } from './usage';
export { directShareEntry, cancelImageLaunchPermission, receivedCopyCheck, sharedCopyProblem } from './receiving';
export { readOrganization } from './organizations';
// This bundle (dist/aws.js) has its own copy of @vscode/l10n: awsLoader hands it the extension's bundle.
export { config as configureL10n } from '@vscode/l10n';
