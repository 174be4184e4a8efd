import { DescribeSnapshotsCommand } from '@aws-sdk/client-ec2';
import { DescribeKeyCommand, GetKeyPolicyCommand, ListAliasesCommand, PutKeyPolicyCommand } from '@aws-sdk/client-kms';
import type { AwsGateway, CallOptions } from './gateway';
import { missingActions, parseKeyPolicy, type KeyPolicy, type Recipient, regionOfKey } from '../core/keyPolicy';
import { memoized } from '../core/collections';
import type { AwsTarget } from '../core/types';

export type KeyManager = 'AWS' | 'CUSTOMER' | 'unknown';

export interface SnapshotEncryption {
  snapshotId: string;
  encrypted: boolean;
  kmsKeyId?: string;
  keyManager?: KeyManager;
  keyAlias?: string;
  /** Why the key could not be described (e.g. a key in another account). */
  keyError?: string;
}

export interface ImageEncryption {
  snapshots: SnapshotEncryption[];
  /** Some snapshot uses the AWS managed key (aws/ebs): the AMI cannot be shared at all. */
  usesAwsManagedKey: boolean;
  /** Customer managed keys recipients must be allowed to use. */
  customerManagedKeys: string[];
}

interface KeyDescription {
  arn: string;
  keyManager: KeyManager;
  alias?: string;
}

export async function describeSnapshots(gateway: AwsGateway, target: AwsTarget, snapshotIds: string[], options: CallOptions = {}): Promise<SnapshotEncryption[]> {
  if (snapshotIds.length === 0) return [];
  const output = await gateway.send(target, new DescribeSnapshotsCommand({ SnapshotIds: snapshotIds }), options);
  return (output.Snapshots ?? []).map((snapshot) => ({
    snapshotId: snapshot.SnapshotId ?? '',
    encrypted: snapshot.Encrypted === true,
    ...(snapshot.KmsKeyId ? { kmsKeyId: snapshot.KmsKeyId } : {}),
  }));
}

/** A key ID or key ARN (what ListAliases takes), not an alias name or alias ARN. */
function isKeyIdOrArn(keyId: string): boolean {
  return !keyId.startsWith('alias/') && !/^arn:[^:]+:kms:[^:]*:[^:]*:alias\//.test(keyId);
}

export async function describeKey(gateway: AwsGateway, target: AwsTarget, keyId: string, options: CallOptions = {}): Promise<KeyDescription> {
  const listAliases = (id: string) =>
    gateway.send(target, new ListAliasesCommand({ KeyId: id }), options).then(
      (aliases) => aliases.Aliases?.[0]?.AliasName,
      // Aliases are a nicety; a key in another account cannot be listed.
      () => undefined,
    );
  // A snapshot names its key by ARN: both calls go at once, a round trip less before a bulk change's first write.
  const early = isKeyIdOrArn(keyId) ? listAliases(keyId) : undefined;
  const output = await gateway.send(target, new DescribeKeyCommand({ KeyId: keyId }), options);
  const metadata = output.KeyMetadata;
  const description: KeyDescription = { arn: metadata?.Arn ?? keyId, keyManager: metadata?.KeyManager === 'AWS' ? 'AWS' : metadata?.KeyManager === 'CUSTOMER' ? 'CUSTOMER' : 'unknown' };
  const alias = await (early ?? listAliases(metadata?.KeyId ?? keyId));
  if (alias) description.alias = alias;
  return description;
}

/** Snapshots of the AMI with their encryption and key manager (KMS DescribeKey), keys described once each. */
/** Key descriptions shared across the AMIs of one action, so each key is described once. */
export type KeyCache = Map<string, Promise<KeyDescription | { error: string }>>;

export async function inspectImageEncryption(
  gateway: AwsGateway,
  target: AwsTarget,
  snapshotIds: string[],
  options: CallOptions = {},
  keyCache: KeyCache = new Map(),
  /** Called with the snapshots' key IDs (ARNs, as EC2 gives them) before they are described, to start reads that need only the key. */
  onKeys?: (keyIds: readonly string[]) => void,
): Promise<ImageEncryption> {
  const snapshots = await describeSnapshots(gateway, target, snapshotIds, options);
  const keyIds = [...new Set(snapshots.flatMap((s) => (s.encrypted && s.kmsKeyId ? [s.kmsKeyId] : [])))];
  onKeys?.(keyIds);
  const keys = new Map<string, KeyDescription | { error: string }>();
  await Promise.all(
    keyIds.map(async (keyId) => {
      const described = memoized(keyCache, keyId, () =>
        describeKey(gateway, { profile: target.profile, region: regionOfKey(keyId) ?? target.region }, keyId, options).catch((error: unknown) => ({ error: (error as Error).message })),
      );
      keys.set(keyId, await described);
    }),
  );
  for (const snapshot of snapshots) {
    const key = snapshot.kmsKeyId ? keys.get(snapshot.kmsKeyId) : undefined;
    if (!key) continue;
    if ('error' in key) {
      snapshot.keyManager = 'unknown';
      snapshot.keyError = key.error;
    } else {
      snapshot.keyManager = key.keyManager;
      if (key.alias) snapshot.keyAlias = key.alias;
      snapshot.kmsKeyId = key.arn;
    }
  }
  return {
    snapshots,
    usesAwsManagedKey: snapshots.some((s) => s.keyManager === 'AWS'),
    customerManagedKeys: [...new Set(snapshots.filter((s) => s.keyManager === 'CUSTOMER' && s.kmsKeyId).map((s) => s.kmsKeyId!))],
  };
}

export { accountOfKey, regionOfKey } from '../core/keyPolicy';

export interface KeyAccess {
  keyArn: string;
  policy?: KeyPolicy;
  /** Recipients the key policy does not yet allow, with the actions they lack. */
  missing: Array<{ recipient: Recipient; actions: string[] }>;
  error?: string;
}

/** A key policy as read for a check: the document, or why it could not be read. */
export type KeyPolicyRead = { policy: KeyPolicy } | { error: string };

/** Reads the key policy (GetKeyPolicy) for a check; never rejects (a failure is the check's finding). */
export async function readKeyPolicyForCheck(gateway: AwsGateway, profile: string, keyArn: string, options: CallOptions = {}): Promise<KeyPolicyRead> {
  try {
    return { policy: (await getKeyPolicy(gateway, profile, keyArn, options)).policy };
  } catch (error) {
    return { error: (error as Error).message };
  }
}

/** Which recipients a key policy (as read) does not allow yet. */
export function keyAccessOf(keyArn: string, read: KeyPolicyRead, recipients: readonly Recipient[]): KeyAccess {
  if ('error' in read) return { keyArn, missing: recipients.map((recipient) => ({ recipient, actions: [] })), error: read.error };
  const missing = recipients.flatMap((recipient) => {
    const actions = missingActions(read.policy, recipient);
    return actions.length ? [{ recipient, actions }] : [];
  });
  return { keyArn, policy: read.policy, missing };
}

/** Reads the key policy and says which recipients it does not allow yet. */
export async function keyAccessFor(gateway: AwsGateway, profile: string, keyArn: string, recipients: readonly Recipient[], options: CallOptions = {}): Promise<KeyAccess> {
  return keyAccessOf(keyArn, await readKeyPolicyForCheck(gateway, profile, keyArn, options), recipients);
}

/** The key policy as it is now: its text (to detect a change made meanwhile) and the parsed document. */
export async function getKeyPolicy(gateway: AwsGateway, profile: string, keyArn: string, options: CallOptions = {}): Promise<{ text: string; policy: KeyPolicy }> {
  const output = await gateway.send({ profile, region: regionOfKey(keyArn) ?? 'us-east-1' }, new GetKeyPolicyCommand({ KeyId: keyArn, PolicyName: 'default' }), options);
  const text = output.Policy ?? '{"Statement":[]}';
  return { text, policy: parseKeyPolicy(text) };
}

export async function putKeyPolicy(gateway: AwsGateway, profile: string, keyArn: string, policy: KeyPolicy, options: CallOptions = {}): Promise<void> {
  await gateway.send({ profile, region: regionOfKey(keyArn) ?? 'us-east-1' }, new PutKeyPolicyCommand({ KeyId: keyArn, PolicyName: 'default', Policy: JSON.stringify(policy) }), options);
}

/** Customer managed keys in a Region, for the "copy with a customer managed key" picker. */
export async function listCustomerManagedKeys(gateway: AwsGateway, target: AwsTarget, options: CallOptions = {}): Promise<Array<{ arn: string; alias?: string }>> {
  const aliases = await gateway.send(target, new ListAliasesCommand({}), options);
  const candidates = (aliases.Aliases ?? []).filter((a) => a.TargetKeyId && a.AliasName && !a.AliasName.startsWith('alias/aws/'));
  const described = await Promise.all(
    candidates.map(async (alias) => {
      try {
        const key = await describeKey(gateway, target, alias.TargetKeyId!, options);
        return key.keyManager === 'CUSTOMER' ? [{ arn: key.arn, alias: alias.AliasName! }] : [];
      } catch {
        return [];
      }
    }),
  );
  return described.flat();
}
