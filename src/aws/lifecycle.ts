import * as l10n from '@vscode/l10n';
import {
  DeregisterImageCommand,
  DescribeImagesCommand,
  DisableImageCommand,
  EnableImageCommand,
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

export interface ImageLifecycle {
  state: string;
  deprecationTime: string | null;
  /** As EC2 reports it, e.g. `disabled-until 2026-12-02T10:00:00Z`. */
  protection: string;
}

/** The lifecycle fields of one AMI, read fresh (disabled and deprecated AMIs included); undefined when it is gone. */
export async function describeLifecycle(gateway: AwsGateway, target: AwsTarget, imageId: string, options: CallOptions = {}): Promise<ImageLifecycle | undefined> {
  try {
    const output = await gateway.send(target, new DescribeImagesCommand({ ImageIds: [imageId], IncludeDisabled: true, IncludeDeprecated: true }), { ...options, imageId });
    const image = output.Images?.find((i) => i.ImageId === imageId);
    if (!image || image.State === 'deregistered') return undefined;
    return {
      state: image.State ?? 'unknown',
      deprecationTime: image.DeprecationTime ? new Date(image.DeprecationTime).toISOString() : null,
      protection: image.DeregistrationProtection ?? 'disabled',
    };
  } catch (error) {
    if (/InvalidAMIID\.NotFound/.test((error as { code?: string }).code ?? '')) return undefined;
    throw error;
  }
}

/** The current value of one lifecycle setting (a deregistered AMI's state is `deregistered`). */
export async function readImageSetting(gateway: AwsGateway, target: AwsTarget, imageId: string, setting: ImageSettingName, options: CallOptions = {}): Promise<string | null> {
  const image = await describeLifecycle(gateway, target, imageId, options);
  if (!image) {
    if (setting === 'state') return 'deregistered';
    throw new Error(l10n.t('{0} was not found in {1} for profile {2}.', imageId, target.region, target.profile));
  }
  if (setting === 'deprecation') return image.deprecationTime;
  if (setting === 'state') return image.state;
  return normalizeProtection(image.protection);
}

/** One write call per setting change; returns the request ID. */
export async function writeImageSetting(
  gateway: AwsGateway,
  target: AwsTarget,
  imageId: string,
  setting: ImageSettingName,
  value: string | null,
  options: CallOptions & { deleteSnapshots?: boolean } = {},
): Promise<string | undefined> {
  const { deleteSnapshots, ...rest } = options;
  const call = { ...rest, imageId };
  let output: { $metadata?: { requestId?: string } };
  if (setting === 'state') {
    output =
      value === 'disabled'
        ? await gateway.send(target, new DisableImageCommand({ ImageId: imageId }), call)
        : value === 'available'
          ? await gateway.send(target, new EnableImageCommand({ ImageId: imageId }), call)
          : await gateway.send(target, new DeregisterImageCommand({ ImageId: imageId, ...(deleteSnapshots ? { DeleteAssociatedSnapshots: true } : {}) }), call);
  } else if (setting === 'deprecation') {
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
