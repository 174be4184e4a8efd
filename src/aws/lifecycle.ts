import {
  DescribeImagesCommand,
  DisableImageDeprecationCommand,
  DisableImageDeregistrationProtectionCommand,
  EnableImageDeprecationCommand,
  EnableImageDeregistrationProtectionCommand,
} from '@aws-sdk/client-ec2';
import type { ImageSettingName } from '../core/changes';
import type { AwsTarget } from '../core/types';
import type { AwsGateway, CallOptions } from './gateway';

/** Deregistration protection as one of enabled / enabled-with-cooldown / disabled ("disabled-until …" is off). */
export function normalizeProtection(value: string | undefined): string {
  if (value === 'enabled' || value === 'enabled-with-cooldown') return value;
  return 'disabled';
}

/** The current value of one lifecycle setting, read fresh (disabled AMIs included). */
export async function readImageSetting(gateway: AwsGateway, target: AwsTarget, imageId: string, setting: ImageSettingName, options: CallOptions = {}): Promise<string | null> {
  const output = await gateway.send(target, new DescribeImagesCommand({ ImageIds: [imageId], IncludeDisabled: true, IncludeDeprecated: true }), { ...options, imageId });
  const image = output.Images?.find((i) => i.ImageId === imageId);
  if (!image) throw new Error(`${imageId} was not found in ${target.region} for profile ${target.profile}.`);
  if (setting === 'deprecation') return image.DeprecationTime ? new Date(image.DeprecationTime).toISOString() : null;
  return normalizeProtection(image.DeregistrationProtection);
}

/** One write call per setting change; returns the request ID. */
export async function writeImageSetting(gateway: AwsGateway, target: AwsTarget, imageId: string, setting: ImageSettingName, value: string | null, options: CallOptions = {}): Promise<string | undefined> {
  const call = { ...options, imageId };
  let output: { $metadata?: { requestId?: string } };
  if (setting === 'deprecation') {
    output = value === null
      ? await gateway.send(target, new DisableImageDeprecationCommand({ ImageId: imageId }), call)
      : await gateway.send(target, new EnableImageDeprecationCommand({ ImageId: imageId, DeprecateAt: new Date(value) }), call);
  } else {
    output = value === 'disabled'
      ? await gateway.send(target, new DisableImageDeregistrationProtectionCommand({ ImageId: imageId }), call)
      : await gateway.send(target, new EnableImageDeregistrationProtectionCommand({ ImageId: imageId, WithCooldown: value === 'enabled-with-cooldown' }), call);
  }
  return output.$metadata?.requestId;
}
