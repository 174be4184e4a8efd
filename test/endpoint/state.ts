import type {
  AccessKeyFixture,
  AllowedImagesFixture,
  AccountFixture,
  Fixture,
  ImageFixture,
  ImageReferenceFixture,
  KmsKeyFixture,
  OrganizationFixture,
  RoleFixture,
  SnapshotFixture,
} from './fixture/fixture';
import { buildAwsManagedEbsKey } from './fixture/fixtureBuilders';

/** An AMI as the endpoint stores it: the fixture record plus its owner. */
export interface ImageRecord extends ImageFixture {
  ownerId: string;
}

export interface SnapshotRecord extends SnapshotFixture {
  ownerId: string;
}

export interface KmsKeyRecord extends KmsKeyFixture {
  ownerId: string;
}

export function kmsKeyArn(key: KmsKeyRecord): string {
  return `arn:aws:kms:${key.region}:${key.ownerId}:key/${key.keyId}`;
}

/** A CopyImage request remembered by its ClientToken, so a retry returns the same AMI. */
export interface CopyTokenRecord {
  imageId: string;
  /** The request's parameters; a retry with other parameters is IdempotentParameterMismatch. */
  fingerprint: string;
}

/** Account identity without its resources. */
export type AccountInfo = Omit<AccountFixture, 'images' | 'snapshots' | 'kmsKeys' | 'imageReferences'>;

/** Temporary credentials issued by AssumeRole. */
export interface SessionRecord {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken: string;
  accountId: string;
  /** `arn:aws:sts::ACCOUNT:assumed-role/ROLE/SESSION` */
  arn: string;
  /** `AROA…:SESSION` */
  userId: string;
  expiration: Date;
}

/** What one account owns in one Region. */
interface RegionResources {
  images: Map<string, ImageRecord>;
  snapshots: Map<string, SnapshotRecord>;
  kmsKeys: Map<string, KmsKeyRecord>;
}

function resourceKey(accountId: string, region: string): string {
  return `${accountId}/${region}`;
}

/**
 * In-memory EC2 state, partitioned per account and Region like the real service.
 * `reset()` goes back to the fixture the state was created from; issued AssumeRole sessions
 * survive a reset so clients holding cached temporary credentials keep working.
 */
export class EndpointState {
  private readonly initial: Fixture;
  private resources = new Map<string, RegionResources>();
  private readonly sessions = new Map<string, SessionRecord>();
  private copyTokens = new Map<string, CopyTokenRecord>();
  private copySequence = 0;
  /** Block public access for AMIs changed with Enable/DisableImageBlockPublicAccess, by `account/Region`. */
  private blockPublicAccess = new Map<string, boolean>();
  /** Allowed AMIs settings changed through the control API, by `account/Region`. */
  private allowedImageSettings = new Map<string, AllowedImagesFixture>();
  /** Resources referencing AMIs, by the account that owns the resource (DescribeImageReferences). */
  private references = new Map<string, ImageReferenceFixture[]>();

  /**
   * The fixture's accounts without their resources, made once: every request looks its caller up (and
   * DescribeImages its caller's settings per AMI), and remaking the list each time was a third of the
   * endpoint's CPU for a page of 100 AMIs.
   */
  private readonly accountInfos: readonly AccountInfo[];
  private readonly accountsById: ReadonlyMap<string, AccountInfo>;

  constructor(fixture: Fixture) {
    this.initial = structuredClone(fixture);
    this.accountInfos = this.initial.accounts.map(({ images: _images, snapshots: _snapshots, kmsKeys: _keys, imageReferences: _references, ...info }) => info);
    this.accountsById = new Map(this.accountInfos.map((account) => [account.accountId, account]));
    this.load(this.initial);
  }

  private load(fixture: Fixture): void {
    this.resources = new Map();
    this.copyTokens = new Map();
    this.copySequence = 0;
    this.blockPublicAccess = new Map();
    this.allowedImageSettings = new Map();
    this.references = new Map();
    for (const account of fixture.accounts) {
      this.references.set(account.accountId, structuredClone(account.imageReferences ?? []));
      for (const key of account.kmsKeys ?? []) {
        this.bucket(account.accountId, key.region).kmsKeys.set(key.keyId, {
          ...structuredClone(key),
          ownerId: account.accountId,
        });
      }
      for (const image of account.images) {
        this.bucket(account.accountId, image.region).images.set(image.imageId, {
          ...structuredClone(image),
          ownerId: account.accountId,
        });
      }
      for (const snapshot of account.snapshots) {
        this.bucket(account.accountId, snapshot.region).snapshots.set(snapshot.snapshotId, {
          ...structuredClone(snapshot),
          ownerId: account.accountId,
        });
      }
    }
  }

  private bucket(accountId: string, region: string): RegionResources {
    const key = resourceKey(accountId, region);
    let bucket = this.resources.get(key);
    if (!bucket) {
      bucket = { images: new Map(), snapshots: new Map(), kmsKeys: new Map() };
      this.resources.set(key, bucket);
    }
    return bucket;
  }

  /** Back to the starting fixture (images, snapshots, launch and volume permissions, KMS keys and policies). */
  reset(): void {
    this.load(this.initial);
  }

  /** An independent copy of the current state; its `reset()` still returns to the original fixture. */
  clone(): EndpointState {
    const copy = new EndpointState(this.initial);
    copy.resources = structuredClone(this.resources);
    copy.copyTokens = structuredClone(this.copyTokens);
    copy.copySequence = this.copySequence;
    copy.blockPublicAccess = new Map(this.blockPublicAccess);
    copy.allowedImageSettings = structuredClone(this.allowedImageSettings);
    copy.references = structuredClone(this.references);
    for (const [key, session] of this.sessions) {
      copy.sessions.set(key, { ...session });
    }
    return copy;
  }

  /** The current state as a fixture, e.g. to start another endpoint from it. */
  toFixture(): Fixture {
    return {
      regions: [...this.initial.regions],
      roles: structuredClone(this.initial.roles),
      expiredAccessKeyIds: [...this.initial.expiredAccessKeyIds],
      ...(this.initial.organizations ? { organizations: structuredClone(this.initial.organizations) } : {}),
      accounts: this.initial.accounts.map((account) => ({
        ...structuredClone(account),
        images: this.images({ accountId: account.accountId }).map(({ ownerId: _owner, ...image }) => structuredClone(image)),
        snapshots: this.snapshots({ accountId: account.accountId }).map(({ ownerId: _owner, ...s }) => structuredClone(s)),
        kmsKeys: this.kmsKeys({ accountId: account.accountId }).map(({ ownerId: _owner, ...key }) => structuredClone(key)),
        imageReferences: structuredClone(this.imageReferences(account.accountId)),
      })),
    };
  }

  // --- identities -------------------------------------------------------------------------

  regions(): string[] {
    return [...this.initial.regions];
  }

  /** AWS Organizations as the fixture describes it (read-only: nothing here changes it). */
  organizations(): readonly OrganizationFixture[] {
    return this.initial.organizations ?? [];
  }

  accounts(): AccountInfo[] {
    return [...this.accountInfos];
  }

  account(accountId: string): AccountInfo | undefined {
    return this.accountsById.get(accountId);
  }

  /** The account and key record for a long-term access key id. */
  accessKey(accessKeyId: string): { account: AccountInfo; key: AccessKeyFixture } | undefined {
    for (const account of this.accounts()) {
      const key = account.accessKeys.find((k) => k.accessKeyId === accessKeyId);
      if (key) {
        return { account, key };
      }
    }
    return undefined;
  }

  isExpiredAccessKey(accessKeyId: string): boolean {
    return this.initial.expiredAccessKeyIds.includes(accessKeyId);
  }

  role(roleArn: string): RoleFixture | undefined {
    return this.initial.roles.find((role) => role.roleArn === roleArn);
  }

  /** Block public access for AMIs of an account in a Region: on unless the fixture or a Disable call turned it off. */
  imageBlockPublicAccess(accountId: string, region: string): boolean {
    return this.blockPublicAccess.get(resourceKey(accountId, region)) ?? this.account(accountId)?.imageBlockPublicAccess !== false;
  }

  setImageBlockPublicAccess(accountId: string, region: string, blocked: boolean): void {
    this.blockPublicAccess.set(resourceKey(accountId, region), blocked);
  }

  /** Allowed AMIs of an account in a Region: disabled unless the fixture or the control API says otherwise. */
  allowedImages(accountId: string, region: string): AllowedImagesFixture {
    const settings = this.allowedImageSettings.get(resourceKey(accountId, region)) ??
      this.account(accountId)?.allowedImages ?? { state: 'disabled', imageProviders: [] };
    return structuredClone(settings);
  }

  setAllowedImages(accountId: string, region: string, settings: AllowedImagesFixture): void {
    this.allowedImageSettings.set(resourceKey(accountId, region), structuredClone(settings));
  }

  addSession(session: SessionRecord): void {
    this.sessions.set(session.accessKeyId, session);
  }

  session(accessKeyId: string): SessionRecord | undefined {
    return this.sessions.get(accessKeyId);
  }

  // --- resources --------------------------------------------------------------------------

  /** Images, optionally narrowed to one owner and/or Region. Records are live: mutate with care. */
  images(filter: { accountId?: string; region?: string } = {}): ImageRecord[] {
    return this.selectBuckets(filter).flatMap((bucket) => [...bucket.images.values()]);
  }

  /** Looks an image up by id in a Region, whoever owns it. */
  image(region: string, imageId: string): ImageRecord | undefined {
    for (const bucket of this.selectBuckets({ region })) {
      const image = bucket.images.get(imageId);
      if (image) {
        return image;
      }
    }
    return undefined;
  }

  snapshots(filter: { accountId?: string; region?: string } = {}): SnapshotRecord[] {
    return this.selectBuckets(filter).flatMap((bucket) => [...bucket.snapshots.values()]);
  }

  snapshot(region: string, snapshotId: string): SnapshotRecord | undefined {
    for (const bucket of this.selectBuckets({ region })) {
      const snapshot = bucket.snapshots.get(snapshotId);
      if (snapshot) {
        return snapshot;
      }
    }
    return undefined;
  }

  /** Adds an image (e.g. a copy) to its owner's Region. */
  addImage(image: ImageRecord): void {
    this.bucket(image.ownerId, image.region).images.set(image.imageId, image);
  }

  addSnapshot(snapshot: SnapshotRecord): void {
    this.bucket(snapshot.ownerId, snapshot.region).snapshots.set(snapshot.snapshotId, snapshot);
  }

  /** Deletes a snapshot (DeregisterImage with DeleteAssociatedSnapshots). */
  deleteSnapshot(ownerId: string, region: string, snapshotId: string): boolean {
    return this.bucket(ownerId, region).snapshots.delete(snapshotId);
  }

  /** Resources of `accountId` that reference AMIs (live list). */
  imageReferences(accountId: string): ImageReferenceFixture[] {
    let list = this.references.get(accountId);
    if (!list) {
      list = [];
      this.references.set(accountId, list);
    }
    return list;
  }

  /** True when any account uses this AMI or snapshot id, in any Region. */
  resourceIdInUse(id: string): boolean {
    for (const bucket of this.resources.values()) {
      if (bucket.images.has(id) || bucket.snapshots.has(id)) {
        return true;
      }
    }
    return false;
  }

  /** A number that grows with every CopyImage since the last reset; seeds the copy's ids. */
  nextCopySequence(): number {
    this.copySequence += 1;
    return this.copySequence;
  }

  copyToken(accountId: string, region: string, token: string): CopyTokenRecord | undefined {
    return this.copyTokens.get(`${accountId}/${region}/${token}`);
  }

  rememberCopyToken(accountId: string, region: string, token: string, record: CopyTokenRecord): void {
    this.copyTokens.set(`${accountId}/${region}/${token}`, record);
  }

  // --- KMS --------------------------------------------------------------------------------

  /** KMS keys, optionally narrowed to one owner and/or Region. Records are live. */
  kmsKeys(filter: { accountId?: string; region?: string } = {}): KmsKeyRecord[] {
    return this.selectBuckets(filter).flatMap((bucket) => [...bucket.kmsKeys.values()]);
  }

  kmsKey(accountId: string, region: string, keyId: string): KmsKeyRecord | undefined {
    return this.resources.get(resourceKey(accountId, region))?.kmsKeys.get(keyId);
  }

  /** The key an alias (`alias/NAME`) of this account and Region points at. */
  kmsKeyByAlias(accountId: string, region: string, aliasName: string): KmsKeyRecord | undefined {
    const keys = this.resources.get(resourceKey(accountId, region))?.kmsKeys.values() ?? [];
    for (const key of keys) {
      if (key.aliases.includes(aliasName)) {
        return key;
      }
    }
    return undefined;
  }

  /** The account's `aws/ebs` key in this Region, created (as EBS does on first use) if absent. */
  ensureAwsManagedEbsKey(accountId: string, region: string, now: Date = new Date()): KmsKeyRecord {
    const existing = this.kmsKeyByAlias(accountId, region, 'alias/aws/ebs');
    if (existing) {
      return existing;
    }
    const key: KmsKeyRecord = { ...buildAwsManagedEbsKey(accountId, region, now.toISOString()), ownerId: accountId };
    this.bucket(accountId, region).kmsKeys.set(key.keyId, key);
    return key;
  }

  private selectBuckets(filter: { accountId?: string; region?: string }): RegionResources[] {
    const selected: RegionResources[] = [];
    for (const [key, bucket] of this.resources) {
      const [accountId, region] = key.split('/');
      if ((filter.accountId === undefined || filter.accountId === accountId) &&
          (filter.region === undefined || filter.region === region)) {
        selected.push(bucket);
      }
    }
    return selected;
  }
}
