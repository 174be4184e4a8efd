import * as l10n from '@vscode/l10n';
import { CopyImageCommand, DescribeImagesCommand } from '@aws-sdk/client-ec2';
import type { AwsGateway, CallOptions } from './gateway';
import { CancelledError } from '../core/rateLimiter';

export interface CopyRequest {
  profile: string;
  sourceRegion: string;
  sourceImageId: string;
  targetRegion: string;
  name: string;
  description?: string;
  /** Encrypt the copy with this key (ARN or alias in the target Region); otherwise EC2 uses the target's default key. */
  kmsKeyId?: string;
  encrypted?: boolean;
}

/** CopyImage runs in the target Region; launch permissions are not copied (EC2 rule). */
export async function copyImage(gateway: AwsGateway, request: CopyRequest, options: CallOptions = {}): Promise<string> {
  const output = await gateway.send({ profile: request.profile, region: request.targetRegion }, new CopyImageCommand({
      SourceImageId: request.sourceImageId,
      SourceRegion: request.sourceRegion,
      Name: request.name,
      ...(request.description ? { Description: request.description } : {}),
      ...(request.kmsKeyId ? { Encrypted: true, KmsKeyId: request.kmsKeyId } : request.encrypted ? { Encrypted: true } : {}),
    }),
    { ...options, imageId: request.sourceImageId },
  );
  if (!output.ImageId) throw new Error(l10n.t('CopyImage returned no image ID'));
  return output.ImageId;
}

export interface WaitOptions extends CallOptions {
  initialDelayMs?: number;
  maxDelayMs?: number;
  timeoutMs?: number;
  onState?: (state: string) => void;
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(new CancelledError());
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener('abort', () => {
      clearTimeout(timer);
      reject(new CancelledError());
    }, { once: true });
  });
}

/**
 * Polls DescribeImages with exponential backoff until the AMI is available. A freshly copied AMI can be
 * "not found" for a while (eventual consistency), so NotFound is retried until the timeout.
 */
export async function waitForAvailable(gateway: AwsGateway, profile: string, region: string, imageId: string, options: WaitOptions = {}): Promise<void> {
  const started = Date.now();
  let delay = options.initialDelayMs ?? 2_000;
  const maxDelay = options.maxDelayMs ?? 30_000;
  const timeout = options.timeoutMs ?? 60 * 60_000;
  for (;;) {
    let state = 'unknown';
    let reason: string | undefined;
    try {
      const output = await gateway.send({ profile, region }, new DescribeImagesCommand({ ImageIds: [imageId] }), { ...options, imageId });
      state = output.Images?.[0]?.State ?? 'unknown';
      // Why EC2 gave up, e.g. a KMS key it could not use (checked only after CopyImage returned).
      reason = output.Images?.[0]?.StateReason?.Message || output.Images?.[0]?.StateReason?.Code || undefined;
    } catch (error) {
      if ((error as { code?: string }).code !== 'InvalidAMIID.NotFound') throw error;
    }
    options.onState?.(state);
    if (state === 'available') return;
    if (state === 'failed' || state === 'error' || state === 'invalid' || state === 'deregistered') {
      throw new Error(reason ? l10n.t('{0} in {1} ended in state {2}: {3}', imageId, region, state, reason) : l10n.t('{0} in {1} ended in state {2}', imageId, region, state));
    }
    if (Date.now() - started > timeout) throw new Error(l10n.t('{0} in {1} was not available after {2} minutes', imageId, region, Math.round(timeout / 60_000)));
    await sleep(delay, options.signal);
    delay = Math.min(maxDelay, Math.round(delay * 1.6));
  }
}
