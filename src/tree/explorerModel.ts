import { sortPermissions } from '../core/launchPermissions';
import type { ImageSummary, LaunchPermission } from '../core/types';
import type { ExplorerData } from './explorerData';
import {
  imageKey,
  nodeIds,
  type ExplorerNode,
  type ImageGroupNode,
  type ImageNode,
  type MessageNode,
  type ProfileNode,
  type RegionNode,
} from './nodes';

interface Loaded<T> {
  value?: T;
  error?: string;
  promise?: Promise<void>;
}

interface ImageListing {
  images: ImageSummary[];
  complete: boolean;
  error?: string;
  firstPage: Promise<void>;
}

export type ImageStatus = { busy: string } | { error: string };

/**
 * Loads and caches what the tree shows, without any VS Code dependency. Nodes are kept by id so that
 * change events name the same objects the view received (VS Code matches refreshes by object).
 */
export class ExplorerModel {
  private readonly nodesById = new Map<string, ExplorerNode>();
  private readonly accounts = new Map<string, Loaded<string>>();
  private readonly listings = new Map<string, ImageListing>();
  private readonly permissions = new Map<string, Loaded<LaunchPermission[]>>();
  private readonly statuses = new Map<string, ImageStatus>();
  private readonly publicAccess = new Map<string, Loaded<string | undefined>>();
  /** The "Find public AMIs" audit: only public AMIs, everything expanded. */
  publicOnly = false;
  private pendingChanges = new Set<string>();
  private flushTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    private readonly data: ExplorerData,
    /** `undefined` = the whole tree changed. */
    private readonly onChanged: (nodes: ExplorerNode[] | undefined) => void,
  ) {}

  node(id: string): ExplorerNode | undefined {
    return this.nodesById.get(id);
  }

  async getChildren(parent?: ExplorerNode): Promise<ExplorerNode[]> {
    const loaded = await this.loadChildren(parent);
    // Unchanged nodes keep their object: VS Code matches elements by identity, so rows stay put on refresh.
    return loaded.map((child) => {
      const known = this.nodesById.get(child.id);
      if (known && JSON.stringify(known) === JSON.stringify(child)) return known;
      this.nodesById.set(child.id, child);
      return child;
    });
  }

  private async loadChildren(parent?: ExplorerNode): Promise<ExplorerNode[]> {
    if (!parent) return this.profileNodes();
    switch (parent.kind) {
      case 'profile':
        return this.regionNodes(parent);
      case 'region':
        return [
          { kind: 'imageGroup', id: nodeIds.group(parent.profile, parent.region, 'owned'), profile: parent.profile, region: parent.region, group: 'owned' },
          { kind: 'imageGroup', id: nodeIds.group(parent.profile, parent.region, 'sharedWithMe'), profile: parent.profile, region: parent.region, group: 'sharedWithMe' },
        ];
      case 'imageGroup':
        return this.imageNodes(parent);
      case 'image':
        return this.permissionNodes(parent);
      default:
        return [];
    }
  }

  private async profileNodes(): Promise<ExplorerNode[]> {
    let profiles;
    try {
      profiles = await this.data.profiles();
    } catch (error) {
      return [this.errorNode('root', `Could not read the AWS config files: ${(error as Error).message}`, undefined)];
    }
    const nodes: ProfileNode[] = profiles.map((profile) => ({ kind: 'profile', id: nodeIds.profile(profile.name), profile }));
    // Profiles that would ask for an MFA code wait until the user expands them: no prompt at start-up.
    for (const node of nodes) if (!node.profile.mfaSerial) this.startAccountLookup(node.profile.name);
    return nodes;
  }

  /** The account ID, once known; the profile node shows it as its description. */
  accountOf(profile: string): Loaded<string> | undefined {
    return this.accounts.get(profile);
  }

  private startAccountLookup(profile: string): Promise<void> {
    const existing = this.accounts.get(profile);
    if (existing?.promise) return existing.promise;
    const entry: Loaded<string> = {};
    entry.promise = this.data.accountId(profile).then(
      (account) => {
        entry.value = account;
        this.changed(nodeIds.profile(profile));
      },
      (error: unknown) => {
        entry.error = this.data.explain(error, { operation: 'GetCallerIdentity', profile }).message;
        this.changed(nodeIds.profile(profile));
      },
    );
    this.accounts.set(profile, entry);
    return entry.promise;
  }

  private async regionNodes(parent: ProfileNode): Promise<ExplorerNode[]> {
    const profile = parent.profile.name;
    await this.startAccountLookup(profile);
    const account = this.accounts.get(profile);
    if (account?.error !== undefined) {
      return [this.credentialErrorNode(parent, account.error)];
    }
    const regions = await this.data.regions(profile);
    const nodes = regions.map((region): RegionNode => ({ kind: 'region', id: nodeIds.region(profile, region), profile, region }));
    for (const node of nodes) this.startPublicAccessLookup(node);
    return nodes;
  }

  blockPublicAccessOf(profile: string, region: string): Loaded<string | undefined> | undefined {
    return this.publicAccess.get(nodeIds.region(profile, region));
  }

  private startPublicAccessLookup(node: RegionNode): void {
    if (this.publicAccess.has(node.id)) return;
    const entry: Loaded<string | undefined> = {};
    entry.promise = this.data.blockPublicAccess({ profile: node.profile, region: node.region }).then(
      (state) => {
        entry.value = state;
        // Only "blocked" changes what the row shows; the tooltip is built on hover. Refreshing the row
        // otherwise would re-render its children while the user may be expanding one.
        if (state === 'block-new-sharing') this.changed(node.id);
      },
      () => {
        // Not every account may read it; the Region node simply shows nothing.
      },
    );
    this.publicAccess.set(node.id, entry);
  }

  private credentialErrorNode(parent: ProfileNode, message: string): MessageNode {
    const node = this.errorNode(parent.id, message, parent.id);
    if (/aws sso login/.test(message)) {
      node.action = { command: 'amiSharing.ssoLogin', title: 'Run aws sso login', args: [{ profile: parent.profile.name }] };
    }
    return node;
  }

  private errorNode(parentId: string, text: string, retryNodeId: string | undefined): MessageNode {
    const node: MessageNode = { kind: 'message', id: `${parentId}/error`, severity: 'error', text };
    if (retryNodeId) node.retryNodeId = retryNodeId;
    return node;
  }

  private listingKey(node: ImageGroupNode): string {
    return node.id;
  }

  private async imageNodes(parent: ImageGroupNode): Promise<ExplorerNode[]> {
    const listing = this.startListing(parent);
    await listing.firstPage;
    const shown = this.publicOnly ? listing.images.filter((image) => image.isPublic) : listing.images;
    const nodes: ExplorerNode[] = shown.map((image): ImageNode => ({
      kind: 'image',
      id: nodeIds.image(parent.profile, parent.region, parent.group, image.imageId),
      profile: parent.profile,
      region: parent.region,
      image,
      owned: parent.group === 'owned',
    }));
    if (listing.error !== undefined) {
      nodes.push(this.errorNode(parent.id, listing.error, parent.id));
    } else if (!listing.complete) {
      nodes.push({ kind: 'message', id: `${parent.id}/loading`, severity: 'loading', text: 'Loading more AMIs…' });
    } else if (this.publicOnly && shown.length === 0) {
      nodes.push({ kind: 'message', id: `${parent.id}/no-public`, severity: 'info', text: 'No public AMIs here' });
    } else if (listing.images.length === 0) {
      nodes.push({
        kind: 'message',
        id: `${parent.id}/empty`,
        severity: 'info',
        text: parent.group === 'owned' ? 'No AMIs owned by this account in this Region' : 'No AMIs shared with this account in this Region',
      });
    }
    if (parent.group === 'owned') {
      for (const image of listing.images) this.startPermissionLookup(parent.profile, parent.region, image.imageId, 'background');
    }
    return nodes;
  }

  private startListing(parent: ImageGroupNode): ImageListing {
    const key = this.listingKey(parent);
    const existing = this.listings.get(key);
    if (existing) return existing;
    let firstPageSeen: () => void = () => undefined;
    const listing: ImageListing = {
      images: [],
      complete: false,
      firstPage: new Promise<void>((resolve) => (firstPageSeen = resolve)),
    };
    this.listings.set(key, listing);
    let pages = 0;
    this.data
      .listImages({ profile: parent.profile, region: parent.region }, parent.group, (soFar, complete) => {
        if (this.listings.get(key) !== listing) return;
        listing.images = soFar;
        listing.complete = complete;
        pages += 1;
        if (pages === 1) firstPageSeen();
        else this.changed(parent.id);
      })
      .then(
        (all) => {
          listing.images = all;
          listing.complete = true;
        },
        (error: unknown) => {
          listing.error = this.data.explain(error, { operation: 'DescribeImages', profile: parent.profile, region: parent.region }).message;
        },
      )
      .finally(() => {
        if (this.listings.get(key) !== listing) return;
        if (pages <= 1) firstPageSeen();
        if (pages > 1 || listing.error !== undefined) this.changed(parent.id);
      });
    return listing;
  }

  /** Launch permissions of an owned image, loaded in the background for the share count. */
  permissionsOf(profile: string, region: string, imageId: string): Loaded<LaunchPermission[]> | undefined {
    return this.permissions.get(imageKey(profile, region, imageId));
  }

  private startPermissionLookup(profile: string, region: string, imageId: string, priority: 'user' | 'background'): Promise<void> {
    const key = imageKey(profile, region, imageId);
    const existing = this.permissions.get(key);
    if (existing?.promise) return existing.promise;
    const entry: Loaded<LaunchPermission[]> = {};
    entry.promise = this.data.launchPermissions({ profile, region }, imageId, priority).then(
      (permissions) => {
        entry.value = sortPermissions(permissions);
        this.changed(nodeIds.image(profile, region, 'owned', imageId));
      },
      (error: unknown) => {
        entry.error = this.data.explain(error, { operation: 'DescribeImageAttribute', profile, region }).message;
        this.changed(nodeIds.image(profile, region, 'owned', imageId));
      },
    );
    this.permissions.set(key, entry);
    return entry.promise;
  }

  private async permissionNodes(parent: ImageNode): Promise<ExplorerNode[]> {
    if (!parent.owned) return [];
    await this.startPermissionLookup(parent.profile, parent.region, parent.image.imageId, 'user');
    const entry = this.permissionsOf(parent.profile, parent.region, parent.image.imageId);
    if (entry?.error !== undefined) return [this.errorNode(parent.id, entry.error, parent.id)];
    const permissions = entry?.value ?? [];
    if (permissions.length === 0) {
      return [{ kind: 'message', id: `${parent.id}/not-shared`, severity: 'info', text: 'Not shared' }];
    }
    return permissions.map((permission) => ({
      kind: 'permission' as const,
      id: `${parent.id}/${Object.values(permission)[0] as string}`,
      profile: parent.profile,
      region: parent.region,
      imageId: parent.image.imageId,
      permission,
    }));
  }

  /** A tooltip line, fetched when the user hovers an owned AMI: can recipients also copy it? */
  async snapshotStatusLine(node: ImageNode): Promise<string | undefined> {
    if (!node.owned || node.image.snapshotIds.length === 0) return undefined;
    const launch = this.permissionsOf(node.profile, node.region, node.image.imageId)?.value;
    if (!launch || launch.every((p) => !p.UserId && !p.Group)) return undefined;
    try {
      const match = await this.data.snapshotPermissionsMatch({ profile: node.profile, region: node.region }, node.image.snapshotIds, launch);
      return match
        ? 'Snapshot permissions match the launch permissions: recipients can copy this AMI.'
        : 'Snapshot permissions do not match the launch permissions: recipients can launch but not copy this AMI (Edit Permissions can bring them in line).';
    } catch (error) {
      return `Snapshot permissions could not be read: ${this.data.explain(error, { operation: 'DescribeSnapshotAttribute', profile: node.profile, region: node.region }).message}`;
    }
  }

  statusOf(profile: string, region: string, imageId: string): ImageStatus | undefined {
    return this.statuses.get(imageKey(profile, region, imageId));
  }

  setStatus(profile: string, region: string, imageId: string, status: ImageStatus | undefined): void {
    const key = imageKey(profile, region, imageId);
    if (status) this.statuses.set(key, status);
    else this.statuses.delete(key);
    this.changed(nodeIds.image(profile, region, 'owned', imageId));
  }

  /** Replaces an image's cached permissions after an action, so only that item refreshes. */
  setPermissions(profile: string, region: string, imageId: string, permissions: LaunchPermission[]): void {
    this.permissions.set(imageKey(profile, region, imageId), { value: sortPermissions(permissions), promise: Promise.resolve() });
    this.changed(nodeIds.image(profile, region, 'owned', imageId));
  }

  /** Drops cached data under a node (or everything) and tells the view to ask again. */
  refresh(node?: ExplorerNode): void {
    if (!node) {
      this.publicAccess.clear();
      this.accounts.clear();
      this.listings.clear();
      this.permissions.clear();
      this.statuses.clear();
      this.onChanged(undefined);
      return;
    }
    const prefix = node.id;
    const under = (id: string) => id === prefix || id.startsWith(`${prefix}/`);
    if (node.kind === 'profile') this.accounts.delete(node.profile.name);
    for (const key of [...this.publicAccess.keys()]) if (under(key)) this.publicAccess.delete(key);
    for (const key of [...this.listings.keys()]) if (under(key)) this.listings.delete(key);
    for (const [key] of this.permissions) {
      const [profile, region, imageId] = key.split('\u0000') as [string, string, string];
      if (under(nodeIds.image(profile, region, 'owned', imageId)) || (node.kind === 'profile' && profile === node.profile.name)) {
        this.permissions.delete(key);
        this.statuses.delete(key);
      }
    }
    this.onChanged([node]);
  }

  /** Re-renders every node from the caches (display settings changed); loads nothing. */
  repaint(): void {
    this.onChanged(undefined);
  }

  /** Refreshes one profile's subtree by name (settings or config changes). */
  refreshProfile(profile: string): void {
    const node = this.nodesById.get(nodeIds.profile(profile));
    if (node) this.refresh(node);
    else this.refresh();
  }

  /** Coalesces change events so hundreds of share counts arriving together cost one repaint. */
  private changed(id: string): void {
    this.pendingChanges.add(id);
    if (this.flushTimer !== undefined) return;
    this.flushTimer = setTimeout(() => {
      this.flushTimer = undefined;
      const nodes = [...this.pendingChanges].flatMap((changedId) => {
        const node = this.nodesById.get(changedId);
        return node ? [node] : [];
      });
      this.pendingChanges = new Set();
      if (nodes.length > 0) this.onChanged(nodes);
    }, 50);
  }
}
