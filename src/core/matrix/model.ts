/**
 * The sharing matrix as plain data: AMIs as rows (grouped by family, profile and Region, newest first),
 * recipients as columns (accounts, organizations, OUs, public), and the state of each cell. Shared by the
 * extension host (which builds the plan and the CSV) and the webview (which draws the cells): no VS Code,
 * no AWS SDK, nothing of Node.
 */
import { compareCodeUnits } from '../collections';
import { imageKeyOf } from '../changes';
import { imageFamily } from '../imageFamily';
import { permissionKey, sortPermissions } from '../launchPermissions';
import type { LaunchPermission } from '../types';

/** What the manifest says about one AMI, when a policy covers it. */
export interface MatrixDrift {
  /** Names of the policies that cover the AMI. */
  policies: string[];
  /** Entries the policies ask for (in line or not). */
  wanted: LaunchPermission[];
  missing: LaunchPermission[];
  extra: LaunchPermission[];
  /** Union over the snapshots: copy permissions missing or extra (policies with `snapshots: true`). */
  snapshotMissing: LaunchPermission[];
  snapshotExtra: LaunchPermission[];
}

export interface MatrixImage {
  profile: string;
  region: string;
  imageId: string;
  /** Text from AWS (possibly another account's): only ever shown as text. */
  name: string;
  creationDate?: string;
  state: string;
  launch: LaunchPermission[];
  /** createVolumePermission of each EBS snapshot; undefined when it was not read. */
  snapshots?: Array<{ snapshotId: string; permissions: LaunchPermission[] }>;
  drift?: MatrixDrift;
  /** Set when the AMI's permissions could not be read: its cells are unknown and cannot be toggled. */
  error?: string;
}

/** Who is in which organization and OU, as far as the directories read here tell (membership.ts builds it). */
export interface MatrixMembership {
  /** Organization and OU ARNs whose member accounts are all known (an OU only when ListAccounts gave every account's Paths). */
  known: string[];
  /** Organization and OU ARNs (nested OUs included) each account belongs to, by account ID; only ARNs in `known`. */
  members: Record<string, string[]>;
}

const NO_MEMBERSHIP: MatrixMembership = { known: [], members: {} };

export interface MatrixInput {
  images: MatrixImage[];
  /** Columns beyond those the AMIs are shared with (named accounts of amiSharing.accountNames, policy entries). */
  recipients: LaunchPermission[];
  /** Names by account ID, and by organization / OU ARN where a directory named them. */
  accountNames: Record<string, string>;
  /** Who is in the organizations and OUs a directory could be read for; without it, org/OU coverage is "maybe". */
  membership?: MatrixMembership;
}

export type ColumnKind = 'public' | 'organization' | 'organizationalUnit' | 'account';

export interface MatrixColumn {
  key: string;
  kind: ColumnKind;
  permission: LaunchPermission;
  /** Short header: the friendly name, else the account ID / org or OU ID, or "public". */
  label: string;
  /** The full value (account ID, ARN). */
  detail: string;
}

export interface GroupRow {
  kind: 'group';
  key: string;
  profile: string;
  region: string;
  family: string;
  count: number;
}

export interface ImageRow {
  kind: 'image';
  key: string;
  image: MatrixImage;
}

export type MatrixRow = GroupRow | ImageRow;

export interface Matrix {
  columns: MatrixColumn[];
  /** Group rows, each followed by its AMIs, newest first. */
  rows: MatrixRow[];
  images: Map<string, MatrixImage>;
  accountNames: Record<string, string>;
  membership: MatrixMembership;
  /** membership.known as a set, for the cells. */
  knownEntries: ReadonlySet<string>;
}

export type PendingAction = 'add' | 'remove';

/** Pending toggles by cell key (`cellKey(row, column)`). */
export type Pending = ReadonlyMap<string, { row: string; column: string; action: PendingAction }>;

export interface Cell {
  /** The column's entry is in the AMI's launch permissions. */
  shared: boolean;
  /** Not shared directly, but the account gets it through public access or an organization/OU it belongs to. */
  covered?: { through: 'public' | 'organization'; by: string } | 'maybe';
  /** Copy permission (createVolumePermission) on the snapshots: accounts and public only. */
  snapshots: 'all' | 'some' | 'none' | 'unknown' | 'none-needed';
  /** Against the policies covering the AMI: the entry is missing, or extra (to be removed). */
  drift?: 'missing' | 'extra' | 'snapshotMissing' | 'snapshotExtra';
  /** A policy asks for this entry. */
  wanted: boolean;
  pending?: PendingAction;
  /** The permissions could not be read. */
  unknown: boolean;
}

const KIND_ORDER: Record<ColumnKind, number> = { public: 0, organization: 1, organizationalUnit: 2, account: 3 };

export function kindOf(permission: LaunchPermission): ColumnKind {
  if (permission.Group === 'all') return 'public';
  if (permission.OrganizationArn) return 'organization';
  if (permission.OrganizationalUnitArn) return 'organizationalUnit';
  return 'account';
}

function columnOf(permission: LaunchPermission, names: Readonly<Record<string, string>>): MatrixColumn {
  const kind = kindOf(permission);
  const detail = permission.UserId ?? permission.OrganizationArn ?? permission.OrganizationalUnitArn ?? 'all';
  const label = kind === 'public' ? 'public' : (names[detail] ?? (kind === 'account' ? detail : (detail.split('/').pop() ?? detail)));
  return { key: permissionKey(permission), kind, permission, label, detail };
}

export function cellKey(row: string, column: string): string {
  return `${row}\u0001${column}`;
}

/** The family an AMI is grouped under: its name without the trailing date or version, else the whole name. */
export function familyOf(name: string): string {
  return (imageFamily(name)?.family ?? name).replace(/[-_. ]+$/, '') || name;
}

/** ISO 8601 creation dates order as strings; names and IDs only break ties. */
const newestFirst = (a: MatrixImage, b: MatrixImage) =>
  compareCodeUnits(b.creationDate ?? '', a.creationDate ?? '') || compareCodeUnits(b.name, a.name) || compareCodeUnits(a.imageId, b.imageId);

export function buildMatrix(input: MatrixInput): Matrix {
  const columns = new Map<string, MatrixColumn>();
  const addColumn = (permission: LaunchPermission) => {
    const key = permissionKey(permission);
    if (key !== 'unknown' && !columns.has(key)) columns.set(key, columnOf(permission, input.accountNames));
  };
  addColumn({ Group: 'all' });
  for (const image of input.images) {
    for (const p of image.launch) addColumn(p);
    for (const p of image.drift?.wanted ?? []) addColumn(p);
  }
  for (const p of input.recipients) addColumn(p);
  const sortedColumns = [...columns.values()].sort((a, b) => KIND_ORDER[a.kind] - KIND_ORDER[b.kind] || (a.kind === 'account' && b.kind === 'account' ? Number(!(a.detail in input.accountNames)) - Number(!(b.detail in input.accountNames)) : 0) || a.label.localeCompare(b.label) || a.detail.localeCompare(b.detail));

  const groups = new Map<string, { row: GroupRow; images: MatrixImage[] }>();
  const images = new Map<string, MatrixImage>();
  for (const image of input.images) {
    images.set(imageKeyOf(image), image);
    const family = familyOf(image.name);
    const key = `group\u0000${image.profile}\u0000${image.region}\u0000${family}`;
    let group = groups.get(key);
    if (!group) {
      group = { row: { kind: 'group', key, profile: image.profile, region: image.region, family, count: 0 }, images: [] };
      groups.set(key, group);
    }
    group.images.push(image);
    group.row.count += 1;
  }
  for (const group of groups.values()) group.images.sort(newestFirst);
  const ordered = [...groups.values()].sort((a, b) => newestFirst(a.images[0]!, b.images[0]!) || a.row.key.localeCompare(b.row.key));
  const rows: MatrixRow[] = ordered.flatMap((g) => [g.row, ...g.images.map((image): ImageRow => ({ kind: 'image', key: imageKeyOf(image), image }))]);
  return { columns: sortedColumns, rows, images, accountNames: input.accountNames, membership: input.membership ?? NO_MEMBERSHIP, knownEntries: new Set(input.membership?.known ?? []) };
}

function has(list: readonly LaunchPermission[] | undefined, key: string): boolean {
  return (list ?? []).some((p) => permissionKey(p) === key);
}

/** Each AMI's entries as key sets, made once per AMI object: a scroll redraws thousands of cells. */
interface ImageKeys {
  launch: Set<string>;
  snapshots?: Set<string>[];
  wanted: Set<string>;
  missing: Set<string>;
  extra: Set<string>;
  snapshotMissing: Set<string>;
  snapshotExtra: Set<string>;
  orgEntries: string[];
}

const keyCache = new WeakMap<MatrixImage, ImageKeys>();
const keysOf = (list: readonly LaunchPermission[] | undefined) => new Set((list ?? []).map(permissionKey));

function imageKeys(image: MatrixImage): ImageKeys {
  let keys = keyCache.get(image);
  if (!keys) {
    keys = {
      launch: keysOf(image.launch),
      ...(image.snapshots ? { snapshots: image.snapshots.map((s) => keysOf(s.permissions)) } : {}),
      wanted: keysOf(image.drift?.wanted),
      missing: keysOf(image.drift?.missing),
      extra: keysOf(image.drift?.extra),
      snapshotMissing: keysOf(image.drift?.snapshotMissing),
      snapshotExtra: keysOf(image.drift?.snapshotExtra),
      orgEntries: image.launch.flatMap((p) => (p.OrganizationArn ? [p.OrganizationArn] : p.OrganizationalUnitArn ? [p.OrganizationalUnitArn] : [])),
    };
    keyCache.set(image, keys);
  }
  return keys;
}

export function cellOf(matrix: Matrix, image: MatrixImage, column: MatrixColumn, pending?: Pending): Cell {
  const keys = imageKeys(image);
  const shared = keys.launch.has(column.key);
  const cell: Cell = { shared, snapshots: 'none-needed', wanted: keys.wanted.has(column.key), unknown: image.error !== undefined };
  const toggle = pending?.size ? pending.get(cellKey(imageKeyOf(image), column.key)) : undefined;
  if (toggle) cell.pending = toggle.action;
  if (!shared && column.kind === 'account') {
    const memberOf = matrix.membership.members[column.detail] ?? [];
    const viaOrg = keys.orgEntries.find((arn) => memberOf.includes(arn));
    if (viaOrg) cell.covered = { through: 'organization', by: viaOrg };
    else if (keys.launch.has('group:all')) cell.covered = { through: 'public', by: 'all' };
    // Only an organization or OU nobody here could read leaves it open; a known one that lacks the account does not cover it.
    else if (keys.orgEntries.some((arn) => !matrix.knownEntries.has(arn))) cell.covered = 'maybe';
  }
  // Snapshots can be shared with accounts and public only; an organization or OU needs no copy permission here.
  if (column.kind === 'account' || column.kind === 'public') {
    if (!keys.snapshots) cell.snapshots = shared ? 'unknown' : 'none-needed';
    else if (keys.snapshots.length === 0) cell.snapshots = 'none-needed';
    else {
      const withIt = keys.snapshots.filter((s) => s.has(column.key)).length;
      cell.snapshots = withIt === keys.snapshots.length ? 'all' : withIt > 0 ? 'some' : 'none';
    }
  }
  if (image.drift) {
    if (keys.missing.has(column.key)) cell.drift = 'missing';
    else if (keys.extra.has(column.key)) cell.drift = 'extra';
    else if (keys.snapshotMissing.has(column.key)) cell.drift = 'snapshotMissing';
    else if (keys.snapshotExtra.has(column.key)) cell.drift = 'snapshotExtra';
  }
  return cell;
}

/**
 * Clicking a cell: queue the opposite of what is there (share / unshare), or drop the queued toggle.
 * Cells of AMIs whose permissions could not be read are left alone. Returns a new map.
 */
export function togglePending(matrix: Matrix, pending: Pending, row: string, column: string): Pending {
  const image = matrix.images.get(row);
  const col = matrix.columns.find((c) => c.key === column);
  if (!image || !col || image.error !== undefined) return pending;
  const next = new Map(pending);
  const key = cellKey(row, column);
  if (next.has(key)) next.delete(key);
  else next.set(key, { row, column, action: has(image.launch, column) ? 'remove' : 'add' });
  return next;
}

/** After a read-back: drop toggles that are now in effect (or whose AMI or column is gone). */
export function prunePending(matrix: Matrix, pending: Pending): Pending {
  const next = new Map(pending);
  for (const [key, toggle] of pending) {
    const image = matrix.images.get(toggle.row);
    if (!image || !matrix.columns.some((c) => c.key === toggle.column) || has(image.launch, toggle.column) === (toggle.action === 'add')) next.delete(key);
  }
  return next;
}

export interface ImagePlan {
  image: MatrixImage;
  add: LaunchPermission[];
  remove: LaunchPermission[];
}

/** The pending toggles per AMI, in row order. */
export function pendingPlan(matrix: Matrix, pending: Pending): ImagePlan[] {
  const byImage = new Map<string, ImagePlan>();
  for (const toggle of pending.values()) {
    const image = matrix.images.get(toggle.row);
    const column = matrix.columns.find((c) => c.key === toggle.column);
    if (!image || !column) continue;
    const plan = byImage.get(toggle.row) ?? { image, add: [], remove: [] };
    plan[toggle.action].push(column.permission);
    byImage.set(toggle.row, plan);
  }
  const order = new Map(matrix.rows.map((r, i) => [r.key, i]));
  return [...byImage.entries()]
    .sort(([a], [b]) => (order.get(a) ?? 0) - (order.get(b) ?? 0))
    .map(([, plan]) => ({ image: plan.image, add: sortPermissions(plan.add), remove: sortPermissions(plan.remove) }));
}

/** Toggles received from elsewhere (the webview), kept only where the AMI and the recipient are in the matrix and readable. */
export function pendingFrom(matrix: Matrix, toggles: ReadonlyArray<{ row: string; column: string; action: PendingAction }>): Pending {
  const columns = new Set(matrix.columns.map((c) => c.key));
  const pending = new Map<string, { row: string; column: string; action: PendingAction }>();
  for (const { row, column, action } of toggles) {
    const image = matrix.images.get(row);
    if (!image || image.error !== undefined || !columns.has(column)) continue;
    pending.set(cellKey(row, column), { row, column, action });
  }
  return pending;
}
