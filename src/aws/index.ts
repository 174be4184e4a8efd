/** Everything that needs the AWS SDK; the extension loads this module lazily on first use. */
export { AwsGateway, AwsActionError, type GatewayOptions, type CallOptions } from './gateway';
export { listImages, describeImage, describeImagesByIds, getLaunchPermissions, modifyLaunchPermissions, resetLaunchPermissions, listRegionNames, getBlockPublicAccessState } from './images';
export { describeAwsError } from '../core/errors';
export { RateLimiter } from '../core/rateLimiter';
export { applyToImage, runPool, type ImageResult, type PermissionAction } from './sharing';
export { checkShare, newGuardCache, type GuardCache, type ShareCheck, type ShareFinding } from './guardrails';
export { inspectImageEncryption, keyAccessFor, putKeyPolicy, listCustomerManagedKeys, describeSnapshots } from './encryption';
export { copyImage, waitForAvailable } from './copyImage';
export { getVolumePermissions, modifyVolumePermissions, snapshotPermissionsMatch, volumePermissionsFor } from './snapshotPermissions';
export { runGrouped, byProfileAndRegion } from '../core/bulk';
export { groupBy } from '../core/collections';
