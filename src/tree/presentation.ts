import * as l10n from '@vscode/l10n';
import { lastLaunchedTooltip } from '../core/usage';
import { isPublic, shareCount } from '../core/launchPermissions';
import { recipientName } from '../core/permissionPlan';
import type { ImageSummary, LaunchPermission } from '../core/types';
import type { ExplorerModel } from './explorerModel';
import type { ImageStatus } from './imageStatus';
import type { ExplorerNode, ImageNode, NodeAction } from './nodes';

/**
 * How each node looks, as plain data. Text that came from AWS (names, descriptions) travels as
 * `text` parts and becomes Markdown only through `markdownText`, so it can never become markup or a link.
 */
export interface TooltipLine {
  label: string;
  text: string;
}

export interface Tooltip {
  title: string;
  lines: TooltipLine[];
  /** An italic remark after the lines. */
  note?: string;
  /** Paragraphs after the note (what is fetched on hover). */
  details?: string[];
}

export interface NodePresentation {
  /** Build the tooltip only on hover (resolveTreeItem), from the state at that moment. */
  lazyTooltip?: boolean;
  /** Tree item id when it must differ from the node id (the audit view gets its own expansion state). */
  treeId?: string;
  label: string;
  description?: string;
  tooltip?: Tooltip;
  icon?: { id: string; color?: string };
  contextValue: string;
  collapsible: 'none' | 'collapsed' | 'expanded';
  command?: NodeAction;
}

const ZERO_WIDTH_JOINER = '\u200D';
/** Every ASCII punctuation character may be backslash-escaped in CommonMark; escaping them all leaves no syntax. */
const ASCII_PUNCTUATION = /[!-/:-@[-`{-~]/g;
/**
 * Where a link is joined: a scheme's `:` and `//`, a host's dots (also the ideographic and fullwidth ones)
 * and an address's `@`. A zero-width joiner after each (also at the end, as text parts are joined) breaks
 * every autolink form — `https://…`, `//host`, `www.…`, `evil.com`, `a@b.c`, `mailto:` — in VS Code's
 * renderer (which links bare URLs even when they are escaped) and in linkify-it alike; the text reads the same.
 */
const LINK_JOINTS = /[.:@\u3002\uFF0E\uFF61]|\/(?=\/)/g;

/**
 * Text from AWS or from other accounts (AMI names, descriptions, tags, aliases, error messages) as inert
 * Markdown: one line, no control characters, no Markdown or HTML syntax, and no linkifiable URL.
 */
export function markdownText(text: string): string {
  return text
    .replace(/[\r\n\u2028\u2029]+/g, ' ')
    // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters in another account's text are exactly what this removes.
    .replace(/[\u0000-\u001f\u007f]/g, ' ')
    .replace(LINK_JOINTS, `$&${ZERO_WIDTH_JOINER}`)
    .replace(ASCII_PUNCTUATION, '\\$&');
}

/**
 * The tooltip as Markdown source. Only the bold and italic markers are ours; every text part, our own labels
 * included, goes through `markdownText`. The MarkdownString built from it is untrusted, without HTML.
 */
export function tooltipMarkdown(tooltip: Tooltip): string {
  const parts: string[] = [];
  // Emphasis markers around blank text would make a rule (`****`) or show as stars: such a title is left out.
  const title = markdownText(tooltip.title).trim();
  if (title) parts.push(`**${title}**`, '');
  for (const line of tooltip.lines) parts.push(`**${markdownText(line.label)}**: ${markdownText(line.text)}  `);
  const note = tooltip.note && markdownText(tooltip.note).trim();
  if (note) parts.push('', `_${note}_`);
  for (const detail of tooltip.details ?? []) parts.push('', markdownText(detail));
  return parts.join('\n');
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
      const description = account?.value ?? (account?.error !== undefined ? l10n.t('credentials failed') : undefined);
      return {
        label: node.profile.name,
        ...(description ? { description } : {}),
        tooltip: {
          title: l10n.t('Profile {0}', node.profile.name),
          lines: [
            { label: l10n.t('Account'), text: account?.value ?? account?.error ?? l10n.t('loading…') },
            { label: l10n.t('Credentials'), text: node.profile.credentialKind },
            ...(node.profile.region ? [{ label: l10n.t('Default Region'), text: node.profile.region }] : []),
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
        ...(blocked ? { description: l10n.t('public sharing blocked') } : {}),
        lazyTooltip: true,
        tooltip: {
          title: node.region,
          lines: [{ label: l10n.t('Block public access for AMIs'), text: blockState === undefined ? l10n.t('unknown') : blocked ? l10n.t('on: AMIs cannot be made public') : l10n.t('off') }],
        },
        icon: { id: 'globe' },
        contextValue: 'region',
        collapsible: model.publicOnly ? 'expanded' : 'collapsed',
      };
    }
    case 'imageGroup':
      return node.group === 'owned'
        ? { label: model.publicOnly ? l10n.t('My public AMIs') : l10n.t('My AMIs'), icon: { id: 'server' }, contextValue: 'imageGroup.owned', collapsible: 'expanded' }
        : { label: model.publicOnly ? l10n.t('Public AMIs shared with me') : l10n.t('Shared with me'), icon: { id: 'inbox' }, contextValue: 'imageGroup.sharedWithMe', collapsible: model.publicOnly ? 'expanded' : 'collapsed' };
    case 'image':
      return presentImage(node, model, accountNames);
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
            ? { command: { command: 'amiSharing.refresh', title: l10n.t('Retry'), args: [{ nodeId: node.retryNodeId }] } }
            : {}),
      };
  }
}

export type SharingLabel = 'private' | 'public' | `shared with ${number}` | '…';

/** The sharing label as the user reads it (the label itself is also what menus and icons key on). */
export function sharingText(sharing: SharingLabel): string {
  if (sharing === 'private') return l10n.t('private');
  if (sharing === 'public') return l10n.t('public');
  if (sharing === '…') return l10n.t('loading…');
  return l10n.t('shared with {0}', sharing.slice('shared with '.length));
}

export function sharingLabel(image: ImageSummary, permissions: readonly LaunchPermission[] | undefined): SharingLabel {
  if (!permissions) return image.isPublic ? 'public' : '…';
  if (isPublic(permissions)) return 'public';
  const count = shareCount(permissions);
  return count === 0 ? 'private' : `shared with ${count}`; // l10n-ignore: a code menus and icons key on; sharingText shows it
}

/** The owner of a shared-with-me AMI: the friendly name from amiSharing.accountNames, else EC2's owner alias, with the ID. */
export function ownerLabel(image: ImageSummary, accountNames: AccountNames): string {
  const friendly = accountNames[image.ownerId] ?? image.ownerAlias;
  return friendly ? `${friendly} (${image.ownerId})` : image.ownerId;
}

function presentImage(node: ImageNode, model: ExplorerModel, accountNames: AccountNames): NodePresentation {
  const { image } = node;
  const loaded = node.owned ? model.permissionsOf(node.profile, node.region, image.imageId) : undefined;
  const sharing = node.owned ? sharingLabel(image, loaded?.value) : undefined;
  const lines: TooltipLine[] = [
    { label: 'ID', text: image.imageId },
    { label: l10n.t('Name'), text: image.name },
    ...(image.description ? [{ label: l10n.t('Description'), text: image.description }] : []),
    { label: l10n.t('State'), text: image.state },
    { label: l10n.t('Created'), text: image.creationDate ?? l10n.t('unknown') },
    { label: l10n.t('Architecture'), text: image.architecture ?? l10n.t('unknown') },
    { label: l10n.t('Root device'), text: [image.rootDeviceType, image.rootDeviceName].filter(Boolean).join(' ') || l10n.t('unknown') },
    { label: l10n.t('EBS snapshots encrypted'), text: image.snapshotIds.length === 0 ? l10n.t('no EBS snapshots') : image.anyEncrypted ? l10n.t('yes') : l10n.t('no') },
    node.owned ? { label: l10n.t('Sharing'), text: sharing ? sharingText(sharing) : '' } : { label: l10n.t('Owner account'), text: ownerLabel(image, accountNames) },
    ...lifecycleLines(image),
    ...(node.owned ? [lastLaunchedLine(image)] : []),
    ...(node.owned ? [] : [{ label: l10n.t('Copy into this account'), text: l10n.t('needs createVolumePermission on every snapshot (and use of the key when encrypted); Copy to My AMIs… checks it first') }]),
  ];
  // Tag keys and values are the owner's text: one escaped line, never labels of their own.
  const tags = Object.entries(image.tags ?? {});
  if (tags.length) lines.push({ label: l10n.t('Tags'), text: tags.map(([key, value]) => `${key}=${value}`).join(', ') });
  if (loaded?.error !== undefined) lines.push({ label: l10n.t('Launch permissions'), text: loaded.error });
  const recipients = node.owned ? model.recipientSummaryOf(node.profile, node.region, image.imageId) : undefined;
  if (recipients) lines.push({ label: l10n.t('Recipients'), text: recipients });

  const presentation: NodePresentation = {
    label: image.name || image.imageId,
    description: [node.owned && sharing ? `${image.imageId} · ${sharingText(sharing)}` : l10n.t('{0} · owner {1}', image.imageId, ownerLabel(image, accountNames)), ...lifecycleBadges(image)].join(' · '),
    tooltip: {
      title: image.name || image.imageId,
      lines,
      note: node.owned
        ? l10n.t('Tags are visible only to the owner account; they are not shared with recipients.')
        : l10n.t('Shared by another account: read-only here. Its tags are visible only to the owner account.'),
    },
    icon: imageIcon(image, sharing),
    contextValue: imageContextValue(node, sharing),
    collapsible: node.owned ? 'collapsed' : 'none',
    ...(node.owned ? { command: { command: 'amiSharing.imageClicked', title: l10n.t('Edit permissions (double-click)'), args: [{ nodeId: node.id }] } } : {}),
  };
  return withStatus(presentation, image.imageId, model.statusOf(node.profile, node.region, image.imageId));
}

/**
 * What menus need to know, in one dotted string: owned or shared with me, state, sharing (owned only) and
 * encryption, e.g. `image.owned.available.public`, `image.owned.pending.private.encrypted`, `image.owned.disabled.private`,
 * `image.sharedWithMe.available.encrypted`. package.json's `when` clauses match it with regexes.
 */
export function imageContextValue(node: ImageNode, sharing: SharingLabel | undefined): string {
  const { image } = node;
  const state = image.state === 'available' || image.state === 'pending' || image.state === 'disabled' ? image.state : 'unavailable';
  const shared = sharing === undefined ? '' : sharing === 'public' ? '.public' : sharing === 'private' ? '.private' : sharing === '…' ? '.loading' : '.shared';
  return `image.${node.owned ? 'owned' : 'sharedWithMe'}.${state}${node.owned ? shared : ''}${image.anyEncrypted ? '.encrypted' : ''}`;
}

export function isDeprecated(image: ImageSummary, now = Date.now()): boolean {
  return image.deprecationTime !== undefined && Date.parse(image.deprecationTime) <= now;
}

function isProtected(image: ImageSummary): boolean {
  return image.deregistrationProtection !== undefined && image.deregistrationProtection !== 'disabled';
}

/** Short words for the description: disabled, deprecated (or when it will be), protected. */
export function lifecycleBadges(image: ImageSummary, now = Date.now()): string[] {
  const badges: string[] = [];
  if (image.state === 'disabled') badges.push(l10n.t('disabled'));
  if (image.deprecationTime) badges.push(isDeprecated(image, now) ? l10n.t('deprecated') : l10n.t('deprecates {0}', image.deprecationTime.slice(0, 10)));
  if (isProtected(image)) badges.push(l10n.t('protected'));
  return badges;
}

/** Tooltip lines for the lifecycle: deprecation (and what it means), protection and its cooldown, why a state is so. */
export function lifecycleLines(image: ImageSummary, now = Date.now()): TooltipLine[] {
  const lines: TooltipLine[] = [];
  if (image.state === 'disabled') lines.push({ label: l10n.t('Disabled'), text: l10n.t('cannot be launched or shared; EnableImage makes it available again (recipients do not get access back by themselves)') });
  if (image.deprecationTime) {
    lines.push({
      label: isDeprecated(image, now) ? l10n.t('Deprecated since') : l10n.t('Deprecates at'),
      text: l10n.t('{0} (deprecated AMIs are hidden from recipients\' default listings; launches by ID keep working)', image.deprecationTime),
    });
  }
  const protection = image.deregistrationProtection;
  if (protection && protection !== 'disabled') {
    lines.push({
      label: l10n.t('Deregistration protection'),
      text: protection === 'enabled-with-cooldown'
        ? l10n.t('on, with a 24-hour cooldown after it is turned off')
        : protection.startsWith('disabled-until')
          ? l10n.t('off, but still protected until {0} (cooldown)', protection.slice('disabled-until '.length))
          : l10n.t('on'),
    });
  }
  if (image.stateReason && image.state !== 'available') lines.push({ label: l10n.t('State reason'), text: image.stateReason });
  return lines;
}

/** Owner only: when the AMI last launched an instance, as EC2 reports it (up to 24 hours late). */
export function lastLaunchedLine(image: ImageSummary, now = Date.now()): TooltipLine {
  return { label: l10n.t('Last launched'), text: lastLaunchedTooltip(image.lastLaunchedTime, now) };
}

/** An action's status over the AMI's own look: busy = spinner and temporary description; failed = error icon and reason first. */
function withStatus(presentation: NodePresentation, imageId: string, status: ImageStatus | undefined): NodePresentation {
  if (!status) return presentation;
  if ('busy' in status) return { ...presentation, description: `${imageId} · ${status.busy}`, icon: { id: 'loading~spin' } };
  const tooltip = presentation.tooltip ?? { title: imageId, lines: [] };
  return {
    ...presentation,
    icon: { id: 'error', color: 'errorForeground' },
    tooltip: { ...tooltip, lines: [{ label: l10n.t('Last action failed'), text: status.error }, ...tooltip.lines] },
  };
}

function imageIcon(image: ImageSummary, sharing: SharingLabel | undefined): { id: string; color?: string } {
  if (image.state === 'pending' || image.state === 'transient') return { id: 'clock', color: 'charts.yellow' };
  if (image.state !== 'available') return { id: 'error', color: 'errorForeground' };
  if (sharing === undefined) return { id: 'cloud-download' };
  if (sharing === 'public') return { id: 'globe', color: 'problemsWarningIcon.foreground' };
  if (sharing.startsWith('shared')) return { id: 'organization', color: 'charts.blue' };
  return { id: 'lock' };
}

export function presentPermission(permission: LaunchPermission, accountNames: AccountNames): NodePresentation {
  if (permission.Group === 'all') {
    return { label: l10n.t('Public (all AWS accounts)'), icon: { id: 'globe', color: 'problemsWarningIcon.foreground' }, contextValue: 'permission.public', collapsible: 'none' };
  }
  const friendly = recipientName(permission, accountNames);
  if (permission.UserId) {
    return {
      label: friendly ?? permission.UserId,
      ...(friendly ? { description: permission.UserId } : {}),
      icon: { id: 'person' },
      contextValue: 'permission.account',
      collapsible: 'none',
    };
  }
  // Named (from Organizations): the name as label, the ARN after the kind.
  if (permission.OrganizationArn) {
    const description = friendly ? `${l10n.t('organization')} · ${permission.OrganizationArn}` : l10n.t('organization');
    return { label: friendly ?? permission.OrganizationArn, description, icon: { id: 'organization' }, contextValue: 'permission.organization', collapsible: 'none' };
  }
  return {
    label: friendly ?? permission.OrganizationalUnitArn ?? 'unknown',
    description: friendly ? `${l10n.t('organizational unit')} · ${permission.OrganizationalUnitArn}` : l10n.t('organizational unit'),
    icon: { id: 'type-hierarchy' },
    contextValue: 'permission.organizationalUnit',
    collapsible: 'none',
  };
}
