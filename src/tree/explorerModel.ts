import * as l10n from '@vscode/l10n';
import { permissionKey } from '../core/launchPermissions';
import { isRetiredImage } from '../core/retiredImages';
import { recipientsSummary, type Verdict } from '../core/recipients';
import type { ImageSummary, LaunchPermission } from '../core/types';
import type { ExplorerData } from './explorerData';
import { BoundedStarts } from './boundedStarts';
import { ImageStatusStore, type ImageStatus } from './imageStatus';
import { LazyCache, type Failure, type Loaded } from './lazyCache';
import {
  isUnder,
  nodeIds,
  type ExplorerNode,
  type ImageGroupNode,
  type ImageNode,
  type MessageNode,
  type PermissionNode,
  type ProfileNode,
  type RegionNode,
} from './nodes';
import { order } from './ordering';

export type { ImageStatus } from './imageStatus';

/**
 * Background share-count lookups in flight per profile and Region (see BoundedStarts): 12 spend a burst
 * of 100 in under half a second at 40 ms a round trip, and the refill needs one. Few enough that the rest
 * wait as closures, and that twenty Regions' answers do not arrive in heaps: the 5×4 listing's longest
 * stall went from 43–58 ms to 65 ms when 24 per Region could go at once (when the client's connections
 * went from 12 to 48 and no longer held them back).
 */
export const SHARE_COUNTS_IN_FLIGHT_PER_REGION = 12;
export type { Loaded } from './lazyCache';

/** An image listing as it fills in: `complete` once the last page arrived. */
interface ImageListing {
  images: ImageSummary[];
  complete: boolean;
}

/** A child list that may be partial: more pages coming, or a failure after the first pages. */
interface ChildList<T extends ExplorerNode> {
  items: T[];
  /** Shown after the items while more are loading. */
  loadingMore?: string;
  failure?: Failure;
}

interface ChildrenOptions<T extends ExplorerNode> {
  /** Text of the one info item shown when there is nothing; none for the root (the view's welcome text shows). */
  empty?: string;
  /** Plain words for a failure that is not already a cached one (those carry their explanation). */
  error(error: unknown): Failure;
  sort?(a: T, b: T): number;
}

/** A cached load that failed; `childrenOf` shows it as the error item. */
class LoadFailed extends Error {
  constructor(readonly failure: Failure) {
    super(failure.message);
  }
}

function failureOf(entry: Loaded<unknown> | undefined): Failure | undefined {
  return entry?.error === undefined ? undefined : { message: entry.error, ssoLoginNeeded: entry.ssoLoginNeeded ?? false };
}

function profileOf(node: ExplorerNode): string | undefined {
  if (node.kind === 'profile') return node.profile.name;
  return 'profile' in node ? node.profile : undefined;
}

/**
 * Loads and caches what the tree shows, without any VS Code dependency. Loaded data lives in one lazy cache
 * keyed by node id; action statuses in their own store; every child list goes through `childrenOf`.
 * Nodes are kept by id so that change events name the same objects the view received (VS Code matches
 * refreshes by object).
 */
export class ExplorerModel {
  private readonly nodesById = new Map<string, ExplorerNode>();
  private readonly cache = new LazyCache();
  private readonly statuses = new ImageStatusStore();
  private readonly shareCounts = new BoundedStarts(SHARE_COUNTS_IN_FLIGHT_PER_REGION);
  /** Per listing (a cache entry): the AMIs whose share-count lookups were queued, so each page queues only its own. */
  private readonly shareCountsQueued = new WeakMap<Loaded<ImageListing>, Set<string>>();
  /** Per owned AMI: each checked recipient's can-launch verdict. */
  private readonly recipientVerdicts = new Map<string, Map<string, Verdict>>();
  /** Per image group: its listing's AMIs as sorted nodes, for the listing value they were built from (see sortedImageNodes). */
  private readonly imageNodesByGroup = new Map<string, { listing: Loaded<ImageListing>; images: ImageSummary[]; nodes: ImageNode[] }>();
  /** The "Find public AMIs" audit: only public AMIs, everything expanded. */
  publicOnly = false;
  /** The view's filter (name, AMI ID or tag, case-insensitive); empty shows every AMI. */
  filterText = '';
  /** amiSharing.hideRetiredImages: leave out disabled and deprecated AMIs. */
  hideRetired = false;
  /** The profile names the root showed last (the "every profile failed" state is about these). */
  private shownProfiles: string[] = [];
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
      if (known && (known === child || sameNode(known, child))) return known;
      this.nodesById.set(child.id, child);
      return child;
    });
  }

  private loadChildren(parent?: ExplorerNode): Promise<ExplorerNode[]> {
    if (!parent) return this.profileNodes();
    switch (parent.kind) {
      case 'profile':
        return this.regionNodes(parent);
      case 'region':
        return this.childrenOf(parent, async () => [this.groupNode(parent, 'owned'), this.groupNode(parent, 'sharedWithMe')], {
          error: (error) => this.explain(error, 'ListImageGroups', parent.profile, parent.region),
        });
      case 'imageGroup':
        return this.imageNodes(parent);
      case 'image':
        return this.permissionNodes(parent);
      default:
        return Promise.resolve([]);
    }
  }

  /**
   * Every child list is made here: the items sorted by `sort`; a failure becomes one error item that retries
   * the parent (and offers `aws sso login` when that is the cure); an empty list becomes one info item;
   * a partial list ends with its loading or error item.
   */
  private async childrenOf<T extends ExplorerNode>(
    parent: ExplorerNode | undefined,
    load: () => Promise<T[] | ChildList<T>>,
    options: ChildrenOptions<T>,
  ): Promise<ExplorerNode[]> {
    const parentId = parent?.id ?? nodeIds.root;
    let list: ChildList<T>;
    try {
      const loaded = await load();
      list = Array.isArray(loaded) ? { items: loaded } : loaded;
    } catch (error) {
      list = { items: [], failure: error instanceof LoadFailed ? error.failure : options.error(error) };
    }
    const nodes: ExplorerNode[] = options.sort ? [...list.items].sort(options.sort) : [...list.items];
    if (list.failure) nodes.push(this.errorNode(parent, list.failure));
    else if (list.loadingMore !== undefined) nodes.push(this.messageNode(parentId, 'loading', 'loading', list.loadingMore));
    else if (nodes.length === 0 && options.empty !== undefined) nodes.push(this.messageNode(parentId, 'empty', 'info', options.empty));
    return nodes;
  }

  private messageNode(parentId: string, name: string, severity: MessageNode['severity'], text: string): MessageNode {
    return { kind: 'message', id: nodeIds.child(parentId, name), severity, text };
  }

  private errorNode(parent: ExplorerNode | undefined, failure: Failure): MessageNode {
    const node = this.messageNode(parent?.id ?? nodeIds.root, 'error', 'error', failure.message);
    const profile = parent && profileOf(parent);
    if (parent) node.retryNodeId = parent.id;
    if (failure.ssoLoginNeeded && profile !== undefined) {
      node.action = { command: 'amiSharing.ssoLogin', title: l10n.t('Run aws sso login'), args: [{ profile }] };
    } else if (!parent) {
      node.action = { command: 'amiSharing.refresh', title: l10n.t('Retry'), args: [] };
    }
    return node;
  }

  private explain(error: unknown, operation: string, profile: string, region?: string): Failure {
    return this.data.explain(error, { operation, profile, ...(region ? { region } : {}) });
  }

  private profileNodes(): Promise<ExplorerNode[]> {
    return this.childrenOf(
      undefined,
      async () => {
        const profiles = await this.data.profiles();
        this.shownProfiles = profiles.map((profile) => profile.name);
        // Profiles that would ask for an MFA code wait until the user expands them: no prompt at start-up.
        for (const profile of profiles) if (!profile.mfaSerial) this.accountEntry(profile.name);
        // Every profile failed: no rows, so the view's "every profile failed" welcome (Retry, config, log) shows.
        if (this.allProfilesFailed()) return [];
        return profiles.map((profile): ProfileNode => ({ kind: 'profile', id: nodeIds.profile(profile.name), profile }));
      },
      {
        error: (error) => ({ message: l10n.t('Could not read the AWS config files: {0}', (error as Error).message), ssoLoginNeeded: false }),
        sort: order.profiles,
      },
    );
  }

  /**
   * Profiles shown (after the amiSharing.profiles setting) whose account could not be resolved, with why;
   * one not tried yet (an MFA profile never expanded) counts as not failed.
   */
  failedProfiles(): Array<{ profile: string; reason: string }> {
    return this.shownProfiles.flatMap((profile) => {
      const reason = this.accountOf(profile)?.error;
      return reason === undefined ? [] : [{ profile, reason }];
    });
  }

  /** At least one profile is shown and every one of them failed to load. */
  allProfilesFailed(): boolean {
    return this.shownProfiles.length > 0 && this.failedProfiles().length === this.shownProfiles.length;
  }

  /** The account ID, once known; the profile node shows it as its description. */
  accountOf(profile: string): Loaded<string> | undefined {
    return this.cache.get(nodeIds.profile(profile));
  }

  private accountEntry(profile: string): Loaded<string> {
    const id = nodeIds.profile(profile);
    return this.cache.load<string>(id, () => this.data.accountId(profile), {
      explain: (error) => this.explain(error, 'GetCallerIdentity', profile),
      onChange: () => this.changed(id),
    });
  }

  private regionNodes(parent: ProfileNode): Promise<ExplorerNode[]> {
    const profile = parent.profile.name;
    return this.childrenOf(
      parent,
      async () => {
        const account = this.accountEntry(profile);
        await account.ready;
        const failure = failureOf(account);
        if (failure) throw new LoadFailed(failure);
        const regions = await this.data.regions(profile);
        const nodes = regions.map((region): RegionNode => ({ kind: 'region', id: nodeIds.region(profile, region), profile, region }));
        for (const node of nodes) this.blockPublicAccessEntry(node);
        return nodes;
      },
      { error: (error) => this.explain(error, 'ReadRegions', profile) },
    );
  }

  blockPublicAccessOf(profile: string, region: string): Loaded<string | undefined> | undefined {
    return this.cache.get(nodeIds.region(profile, region));
  }

  private blockPublicAccessEntry(node: RegionNode): void {
    this.cache.load<string | undefined>(node.id, () => this.data.blockPublicAccess({ profile: node.profile, region: node.region }), {
      // Not every account may read it; the Region node then simply shows nothing.
      explain: (error) => this.explain(error, 'GetImageBlockPublicAccessState', node.profile, node.region),
      // Only "blocked" changes what the row shows; the tooltip is built on hover. Refreshing the row
      // otherwise would re-render its children while the user may be expanding one.
      onChange: (entry) => {
        if (entry.value === 'block-new-sharing') this.changed(node.id);
      },
    });
  }

  private groupNode(parent: RegionNode, group: ImageGroupNode['group']): ImageGroupNode {
    return { kind: 'imageGroup', id: nodeIds.group(parent.profile, parent.region, group), profile: parent.profile, region: parent.region, group };
  }

  private imageNodes(parent: ImageGroupNode): Promise<ExplorerNode[]> {
    const owned = parent.group === 'owned';
    const empty = this.publicOnly
      ? l10n.t('No public AMIs here')
      : owned
        ? l10n.t('No AMIs owned by this account in this Region')
        : l10n.t('No AMIs shared with this account in this Region');
    return this.childrenOf(
      parent,
      async (): Promise<ChildList<ImageNode>> => {
        const listing = this.listingEntry(parent);
        await listing.ready;
        const { images, complete } = listing.value ?? { images: [], complete: false };
        const failure = failureOf(listing);
        if (failure && images.length === 0) throw new LoadFailed(failure);
        const all = this.sortedImageNodes(parent, listing, images);
        const filtering = this.publicOnly || this.filterText.trim() !== '' || this.hideRetired;
        const now = Date.now();
        const items = filtering
          ? all.filter(({ image }) => (!this.publicOnly || image.isPublic) && matchesFilter(image, this.filterText) && !(this.hideRetired && isRetiredImage(image, now)))
          : all;
        return { items, ...(failure ? { failure } : !complete ? { loadingMore: l10n.t('Loading more AMIs…') } : {}) };
      },
      // Already in order.images (sortedImageNodes), and filtering keeps the order.
      { empty, error: (error) => this.explain(error, 'DescribeImages', parent.profile, parent.region) },
    );
  }

  /**
   * A group's AMIs as nodes in order.images, built once per page of its listing: the view asks for a group's
   * children on every repaint and every page, and building, sorting (localeCompare) and looking up 500 ids
   * each time cost more CPU than the AWS requests of the share counts (5×4×500 listing, measured). Each new
   * page also starts the share-count lookups of its AMIs (a lookup already cached is not started twice).
   */
  private sortedImageNodes(parent: ImageGroupNode, listing: Loaded<ImageListing>, images: ImageSummary[]): ImageNode[] {
    const built = this.imageNodesByGroup.get(parent.id);
    // Keyed by the cache entry too: a refreshed group is a new entry (with new lookups to start) even if its data source hands back the same array.
    if (built?.listing === listing && built.images === images) return built.nodes;
    const owned = parent.group === 'owned';
    // The group's id is the prefix of its AMIs' ids (nodeIds.image): computed once, not per AMI and call.
    const idOf = (image: ImageSummary) => nodeIds.child(parent.id, image.imageId);
    const nodes = images.map((image): ImageNode => {
      const id = idOf(image);
      // The same summary object: the node already made for it (no garbage per AMI on every page and repaint).
      const known = this.nodesById.get(id);
      if (known?.kind === 'image' && known.image === image) return known;
      return { kind: 'image', id, profile: parent.profile, region: parent.region, image, owned };
    });
    // Share-count lookups in listing order (not the view's), as they were always started; only for AMIs not
    // queued at an earlier page: queuing all so far at every page was 1,600 lookups per 500 AMIs, each building
    // its node id again for two cache lookups (0.2 s of a 5×4×500 listing's CPU, measured in a profile).
    if (owned) {
      const queued = this.shareCountsQueued.get(listing) ?? new Set<string>();
      this.shareCountsQueued.set(listing, queued);
      const fresh = images.filter((image) => !queued.has(image.imageId));
      for (const image of fresh) queued.add(image.imageId);
      this.startShareCounts(parent, listing, fresh.map((image) => ({ imageId: image.imageId, id: idOf(image) })));
    }
    nodes.sort(order.images);
    this.imageNodesByGroup.set(parent.id, { listing, images, nodes });
    return nodes;
  }

  /**
   * Queues the background share-count lookups of a group's AMIs in its profile and Region's lane (see
   * BoundedStarts). A lookup whose group was refreshed meanwhile is left to the new listing; one the user
   * already asked for (expanding the AMI) is not started twice.
   */
  private startShareCounts(parent: ImageGroupNode, listing: Loaded<ImageListing>, images: ReadonlyArray<{ imageId: string; id: string }>): void {
    this.shareCounts.enqueue(
      `${parent.profile}\u0000${parent.region}`,
      images.map(({ imageId, id }) => () => {
        if (this.cache.get(parent.id) !== listing || this.cache.get(id)) return undefined;
        return this.permissionEntry(parent.profile, parent.region, imageId, 'background', id).ready;
      }),
    );
  }

  private listingEntry(parent: ImageGroupNode): Loaded<ImageListing> {
    return this.cache.load<ImageListing>(
      parent.id,
      async (partial) => {
        let last: ImageListing | undefined;
        const all = await this.data.listImages({ profile: parent.profile, region: parent.region }, parent.group, (soFar, complete) => {
          last = { images: soFar, complete };
          partial(last);
        });
        // The last page already said it all: settle with the same value, so nothing is reported twice.
        return last?.complete ? last : { images: all, complete: true };
      },
      {
        explain: (error) => this.explain(error, 'DescribeImages', parent.profile, parent.region),
        // The first page reaches the view through the getChildren call awaiting it; later pages repaint the group.
        onChange: (_entry, first) => {
          if (!first) this.changed(parent.id);
        },
      },
    );
  }

  /** Launch permissions of an owned image, loaded in the background for the share count. */
  permissionsOf(profile: string, region: string, imageId: string): Loaded<LaunchPermission[]> | undefined {
    return this.cache.get(nodeIds.image(profile, region, 'owned', imageId));
  }

  private permissionEntry(profile: string, region: string, imageId: string, priority: 'user' | 'background', id = nodeIds.image(profile, region, 'owned', imageId)): Loaded<LaunchPermission[]> {
    return this.cache.load<LaunchPermission[]>(id, () => this.data.launchPermissions({ profile, region }, imageId, priority), {
      explain: (error) => this.explain(error, 'DescribeImageAttribute', profile, region),
      onChange: () => this.changed(id),
    });
  }

  private permissionNodes(parent: ImageNode): Promise<ExplorerNode[]> {
    if (!parent.owned) return Promise.resolve([]);
    return this.childrenOf(
      parent,
      async () => {
        const entry = this.permissionEntry(parent.profile, parent.region, parent.image.imageId, 'user');
        await entry.ready;
        const failure = failureOf(entry);
        if (failure) throw new LoadFailed(failure);
        return (entry.value ?? []).map(
          (permission): PermissionNode => ({
            kind: 'permission',
            id: nodeIds.child(parent.id, permissionKey(permission)),
            profile: parent.profile,
            region: parent.region,
            imageId: parent.image.imageId,
            permission,
          }),
        );
      },
      { empty: l10n.t('Not shared'), error: (error) => this.explain(error, 'DescribeImageAttribute', parent.profile, parent.region), sort: order.permissions },
    );
  }

  /** A tooltip line, fetched when the user hovers an owned AMI: can recipients also copy it? */
  async snapshotStatusLine(node: ImageNode): Promise<string | undefined> {
    if (!node.owned) return this.receivedCopyLine(node);
    if (node.image.snapshotIds.length === 0) return undefined;
    const launch = this.permissionsOf(node.profile, node.region, node.image.imageId)?.value;
    if (!launch || launch.every((p) => !p.UserId && !p.Group)) return undefined;
    try {
      const match = await this.data.snapshotPermissionsMatch({ profile: node.profile, region: node.region }, node.image.snapshotIds, launch);
      return match
        ? l10n.t('Snapshot permissions match the launch permissions: recipients can copy this AMI.')
        : l10n.t('Snapshot permissions do not match the launch permissions: recipients can launch but not copy this AMI (Edit Permissions can bring them in line).');
    } catch (error) {
      return l10n.t('Snapshot permissions could not be read: {0}', this.explain(error, 'DescribeSnapshotAttribute', node.profile, node.region).message);
    }
  }

  /**
   * What the view's badge and welcome states count, from what is loaded (nothing is fetched for it): owned
   * AMIs that are public, lists that failed to load, and profiles whose account could not be resolved.
   */
  attention(): { publicImages: number; failedLists: number; profiles: number; failedProfiles: number } {
    const counts = { publicImages: 0, failedLists: 0, profiles: 0, failedProfiles: 0 };
    for (const [key, entry] of this.cache.entriesWithKeys()) {
      if (/^profile\/[^/]+$/.test(key)) {
        counts.profiles += 1;
        if (entry.error !== undefined) counts.failedProfiles += 1;
      } else if (/\/(owned|sharedWithMe)$/.test(key)) {
        if (entry.error !== undefined) counts.failedLists += 1;
        if (key.endsWith('/owned')) counts.publicImages += ((entry.value as ImageListing | undefined)?.images ?? []).filter((image) => image.isPublic).length;
      }
    }
    return counts;
  }

  /** A tooltip line, fetched when the user hovers an AMI shared with this account: may this account copy it? */
  private async receivedCopyLine(node: ImageNode): Promise<string> {
    try {
      const { verdict, reason } = await this.data.receivedCopy({ profile: node.profile, region: node.region }, node.image.snapshotIds);
      const answer = verdict === 'yes' ? l10n.t('yes') : verdict === 'no' ? l10n.t('no') : l10n.t('unknown');
      return l10n.t('This account may copy it: {0} ({1}).', answer, reason);
    } catch (error) {
      return l10n.t('This account may copy it: unknown ({0}).', this.explain(error, 'DescribeSnapshots', node.profile, node.region).message);
    }
  }

  /** "3 of 4 recipients can launch", from the recipient checks of this AMI so far. */
  recipientSummaryOf(profile: string, region: string, imageId: string): string | undefined {
    const verdicts = this.recipientVerdicts.get(nodeIds.image(profile, region, 'owned', imageId));
    return verdicts ? recipientsSummary([...verdicts.values()].map((canLaunch) => ({ canLaunch }))) : undefined;
  }

  /** A check's verdicts: a check of every recipient replaces what was known, a check of some updates theirs. */
  setRecipientVerdicts(profile: string, region: string, imageId: string, results: ReadonlyArray<{ accountId: string; canLaunch: Verdict }>, everyRecipient: boolean): void {
    const id = nodeIds.image(profile, region, 'owned', imageId);
    const verdicts = everyRecipient ? new Map<string, Verdict>() : (this.recipientVerdicts.get(id) ?? new Map<string, Verdict>());
    for (const result of results) verdicts.set(result.accountId, result.canLaunch);
    this.recipientVerdicts.set(id, verdicts);
    this.changed(id);
  }

  statusOf(profile: string, region: string, imageId: string): ImageStatus | undefined {
    return this.statuses.get(nodeIds.image(profile, region, 'owned', imageId));
  }

  /** Shows an action's progress (`{ busy }`, a spinner) or failure (`{ error }`) on the AMI; `undefined` clears it. */
  setStatus(profile: string, region: string, imageId: string, status: ImageStatus | undefined): void {
    const id = nodeIds.image(profile, region, 'owned', imageId);
    this.statuses.set(id, status);
    this.changed(id);
  }

  /** Replaces an image's cached permissions after an action, so only that item refreshes. */
  setPermissions(profile: string, region: string, imageId: string, permissions: LaunchPermission[]): void {
    const id = nodeIds.image(profile, region, 'owned', imageId);
    this.cache.set(id, [...permissions]);
    this.forgetFormerRecipients(id, permissions);
    this.changed(id);
  }

  /** Recipients no longer in the launch permissions leave the summary (members of a shared organization or OU stay). */
  private forgetFormerRecipients(id: string, permissions: readonly LaunchPermission[]): void {
    const verdicts = this.recipientVerdicts.get(id);
    if (!verdicts || permissions.some((p) => p.OrganizationArn || p.OrganizationalUnitArn)) return;
    for (const accountId of [...verdicts.keys()]) {
      if (!permissions.some((p) => p.UserId === accountId)) verdicts.delete(accountId);
    }
  }

  /**
   * Drops cached data under a node (or everything) and tells the view to ask again. A message item stands
   * for the node it retries. Failures shown on AMIs are forgotten; actions still running keep their spinner.
   */
  refresh(node?: ExplorerNode): void {
    if (node?.kind === 'message') {
      const target = node.retryNodeId !== undefined ? this.nodesById.get(node.retryNodeId) : undefined;
      this.refresh(target);
      return;
    }
    if (!node) {
      this.imageNodesByGroup.clear();
      this.cache.clear();
      this.statuses.clearFailures();
      this.onChanged(undefined);
      return;
    }
    this.cache.deleteUnder(node.id);
    for (const groupId of [...this.imageNodesByGroup.keys()]) if (isUnder(groupId, node.id)) this.imageNodesByGroup.delete(groupId);
    this.statuses.clearFailures(node.id);
    // A collapsed AMI asks for no children, so its share count would stay "…": load it again now.
    if (node.kind === 'image' && node.owned) this.permissionEntry(node.profile, node.region, node.image.imageId, 'user');
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

/**
 * Same content. Rebuilt nodes mostly hold the very objects the known one holds (an AMI's summary stays the
 * same object while its listing fills in), so a shallow look settles most of them: serialising 10,000 AMI
 * nodes on every page was a third of the longest stall of a big listing.
 */
function sameNode(known: ExplorerNode, child: ExplorerNode): boolean {
  const a = known as unknown as Record<string, unknown>;
  const b = child as unknown as Record<string, unknown>;
  const keys = Object.keys(a);
  if (keys.length === Object.keys(b).length && keys.every((key) => key in b && a[key] === b[key])) return true;
  return JSON.stringify(known) === JSON.stringify(child);
}

/** The view filter matches an AMI's name, ID, or any tag key or value, ignoring case. */
export function matchesFilter(image: ImageSummary, filter: string): boolean {
  const wanted = filter.trim().toLowerCase();
  if (!wanted) return true;
  const fields = [image.name, image.imageId, ...Object.entries(image.tags ?? {}).flatMap(([key, value]) => [key, value, `${key}=${value}`])];
  return fields.some((field) => field.toLowerCase().includes(wanted));
}
