import { isPublic, shareCount } from '../core/launchPermissions';
import type { ImageSummary, LaunchPermission } from '../core/types';
import type { ExplorerModel } from './explorerModel';
import type { ExplorerNode, ImageNode, NodeAction } from './nodes';

/**
 * How each node looks, as plain data. Text that came from AWS (names, descriptions) travels as
 * `text` parts and is escaped when the Markdown tooltip is built, so it can never become a link.
 */
export interface TooltipLine {
  label: string;
  text: string;
}

export interface NodePresentation {
  /** Build the tooltip only on hover (resolveTreeItem), from the state at that moment. */
  lazyTooltip?: boolean;
  /** Tree item id when it must differ from the node id (the audit view gets its own expansion state). */
  treeId?: string;
  label: string;
  description?: string;
  tooltip?: { title: string; lines: TooltipLine[]; note?: string };
  icon?: { id: string; color?: string };
  contextValue: string;
  collapsible: 'none' | 'collapsed' | 'expanded';
  command?: NodeAction;
}

export type AccountNames = Readonly<Record<string, string>>;

export function presentNode(node: ExplorerNode, model: ExplorerModel, accountNames: AccountNames): NodePresentation {
  const presentation = presentKind(node, model, accountNames);
  return model.publicOnly ? { ...presentation, treeId: `audit/${node.id}` } : presentation;
}

function presentKind(node: ExplorerNode, model: ExplorerModel, accountNames: AccountNames): NodePresentation {
  switch (node.kind) {
    case 'profile': {
      const account = model.accountOf(node.profile.name);
      const description = account?.value ?? (account?.error !== undefined ? 'credentials failed' : undefined);
      return {
        label: node.profile.name,
        ...(description ? { description } : {}),
        tooltip: {
          title: `Profile ${node.profile.name}`,
          lines: [
            { label: 'Account', text: account?.value ?? (account?.error ?? 'loading…') },
            { label: 'Credentials', text: node.profile.credentialKind },
            ...(node.profile.region ? [{ label: 'Default Region', text: node.profile.region }] : []),
          ],
        },
        icon: { id: account?.error !== undefined ? 'warning' : 'account', ...(account?.error !== undefined ? { color: 'problemsWarningIcon.foreground' } : {}) },
        contextValue: 'profile',
        collapsible: model.publicOnly ? 'expanded' : 'collapsed',
      };
    }
    case 'region': {
      const blockState = model.blockPublicAccessOf(node.profile, node.region)?.value;
      const blocked = blockState === 'block-new-sharing';
      return {
        label: node.region,
        ...(blocked ? { description: 'public sharing blocked' } : {}),
        lazyTooltip: true,
        tooltip: {
          title: node.region,
          lines: [{ label: 'Block public access for AMIs', text: blockState === undefined ? 'unknown' : blocked ? 'on: AMIs cannot be made public' : 'off' }],
        },
        icon: { id: 'globe' },
        contextValue: 'region',
        collapsible: model.publicOnly ? 'expanded' : 'collapsed',
      };
    }
    case 'imageGroup':
      return node.group === 'owned'
        ? { label: model.publicOnly ? 'My public AMIs' : 'My AMIs', icon: { id: 'server' }, contextValue: 'imageGroup.owned', collapsible: 'expanded' }
        : { label: model.publicOnly ? 'Public AMIs shared with me' : 'Shared with me', icon: { id: 'inbox' }, contextValue: 'imageGroup.sharedWithMe', collapsible: model.publicOnly ? 'expanded' : 'collapsed' };
    case 'image':
      return presentImage(node, model);
    case 'permission':
      return presentPermission(node.permission, accountNames);
    case 'message':
      return {
        label: node.text,
        ...(node.detail ? { description: node.detail } : {}),
        icon:
          node.severity === 'error'
            ? { id: 'error', color: 'errorForeground' }
            : node.severity === 'warning'
              ? { id: 'warning', color: 'problemsWarningIcon.foreground' }
              : node.severity === 'loading'
                ? { id: 'loading~spin' }
                : { id: 'info' },
        contextValue: node.retryNodeId ? 'message.retryable' : 'message',
        collapsible: 'none',
        ...(node.action
          ? { command: node.action }
          : node.retryNodeId
            ? { command: { command: 'amiSharing.refresh', title: 'Retry', args: [{ nodeId: node.retryNodeId }] } }
            : {}),
      };
  }
}

export type SharingLabel = 'private' | 'public' | `shared with ${number}` | '…';

export function sharingLabel(image: ImageSummary, permissions: readonly LaunchPermission[] | undefined): SharingLabel {
  if (!permissions) return image.isPublic ? 'public' : '…';
  if (isPublic(permissions)) return 'public';
  const count = shareCount(permissions);
  return count === 0 ? 'private' : `shared with ${count}`;
}

function presentImage(node: ImageNode, model: ExplorerModel): NodePresentation {
  const { image } = node;
  const status = model.statusOf(node.profile, node.region, image.imageId);
  const loaded = node.owned ? model.permissionsOf(node.profile, node.region, image.imageId) : undefined;
  const sharing = node.owned ? sharingLabel(image, loaded?.value) : undefined;
  const lines: TooltipLine[] = [
    { label: 'ID', text: image.imageId },
    { label: 'Name', text: image.name },
    ...(image.description ? [{ label: 'Description', text: image.description }] : []),
    { label: 'State', text: image.state },
    { label: 'Created', text: image.creationDate ?? 'unknown' },
    { label: 'Architecture', text: image.architecture ?? 'unknown' },
    { label: 'Root device', text: [image.rootDeviceType, image.rootDeviceName].filter(Boolean).join(' ') || 'unknown' },
    { label: 'EBS snapshots encrypted', text: image.snapshotIds.length === 0 ? 'no EBS snapshots' : image.anyEncrypted ? 'yes' : 'no' },
    node.owned ? { label: 'Sharing', text: sharing === '…' ? 'loading…' : (sharing ?? '') } : { label: 'Owner account', text: image.ownerId },
  ];
  if (loaded?.error !== undefined) lines.push({ label: 'Launch permissions', text: loaded.error });
  if (status && 'error' in status) lines.unshift({ label: 'Last action failed', text: status.error });

  const description = status && 'busy' in status
    ? `${image.imageId} · ${status.busy}`
    : node.owned
      ? `${image.imageId} · ${sharing}`
      : `${image.imageId} · owner ${image.ownerId}`;

  return {
    label: image.name || image.imageId,
    description,
    tooltip: {
      title: image.name || image.imageId,
      lines,
      note: node.owned
        ? 'Tags are visible only to the owner account; they are not shared with recipients.'
        : 'Shared by another account: read-only here. Its tags are visible only to the owner account.',
    },
    icon: imageIcon(image, sharing, status),
    contextValue: node.owned ? `image.owned.${image.state === 'available' ? 'available' : 'unavailable'}` : 'image.sharedWithMe',
    collapsible: node.owned ? 'collapsed' : 'none',
    ...(node.owned ? { command: { command: 'amiSharing.imageClicked', title: 'Edit permissions (double-click)', args: [{ nodeId: node.id }] } } : {}),
  };
}

function imageIcon(image: ImageSummary, sharing: SharingLabel | undefined, status: ReturnType<ExplorerModel['statusOf']>): { id: string; color?: string } {
  if (status && 'busy' in status) return { id: 'loading~spin' };
  if (status && 'error' in status) return { id: 'error', color: 'errorForeground' };
  if (image.state === 'pending' || image.state === 'transient') return { id: 'clock', color: 'charts.yellow' };
  if (image.state !== 'available') return { id: 'error', color: 'errorForeground' };
  if (sharing === undefined) return { id: 'cloud-download' };
  if (sharing === 'public') return { id: 'globe', color: 'problemsWarningIcon.foreground' };
  if (sharing.startsWith('shared')) return { id: 'organization', color: 'charts.blue' };
  return { id: 'lock' };
}

export function presentPermission(permission: LaunchPermission, accountNames: AccountNames): NodePresentation {
  if (permission.Group === 'all') {
    return { label: 'Public (all AWS accounts)', icon: { id: 'globe', color: 'problemsWarningIcon.foreground' }, contextValue: 'permission.public', collapsible: 'none' };
  }
  if (permission.UserId) {
    const friendly = accountNames[permission.UserId];
    return {
      label: friendly ?? permission.UserId,
      ...(friendly ? { description: permission.UserId } : {}),
      icon: { id: 'person' },
      contextValue: 'permission.account',
      collapsible: 'none',
    };
  }
  if (permission.OrganizationArn) {
    return { label: permission.OrganizationArn, description: 'organization', icon: { id: 'organization' }, contextValue: 'permission.organization', collapsible: 'none' };
  }
  return {
    label: permission.OrganizationalUnitArn ?? 'unknown',
    description: 'organizational unit',
    icon: { id: 'type-hierarchy' },
    contextValue: 'permission.organizationalUnit',
    collapsible: 'none',
  };
}
