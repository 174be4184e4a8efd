import * as l10n from '@vscode/l10n';
import type { AwsGateway, CallOptions } from '../aws/gateway';
import type { AwsModule } from '../awsLoader';
import { imageKeyOf, type ChangeRequest, type Finding, type ImageRef } from '../core/changes';
import { groupBy, uniqueBy } from '../core/collections';
import { permissionKey } from '../core/launchPermissions';
import { describeRecipient, formatPolicy, permissionOfRecipient, statementsFor } from '../core/keyPolicy';
import type { PipelineHost } from './host';
import type { CheckedFinding } from './checks';
import { publicImages } from './checks';
import { ChangeCancelled, type ChangeOptions } from './changeTypes';
import { readAndPlan, type Draft } from './readPlan';

export interface Resolution {
  /** Per AMI: why it is left out of the change (nothing is sent for it). */
  failures: Map<string, string>;
  /** Per AMI: warnings the user (or script) went on with. */
  warnings: Map<string, string[]>;
  /** Findings the confirmation shows (risks, checks skipped). */
  shownFindings: Finding[];
}

const goOnWithoutChecks = () => l10n.t('Go on without these checks');
const copyWithCmk = () => l10n.t('Copy with a customer managed key…');
const addKeyStatements = () => l10n.t('Add key policy statements');
const copyStatements = () => l10n.t('Copy statements JSON');
const shareAnyway = () => l10n.t('Share anyway');

function addTo(map: Map<string, string[]>, key: string, message: string): void {
  map.set(key, [...(map.get(key) ?? []), message]);
}

/**
 * Turns the checks' findings into decisions: blockers take an AMI out (interactively, with the fix on
 * offer); checks that could not run block until the user explicitly goes on without them (scripts:
 * proceedWithoutChecks), never for anything public; key-policy gaps offer to add the statements as steps of
 * this same change. Throws ChangeCancelled when the user stops.
 */
export async function resolveFindings(
  services: PipelineHost,
  draft: Draft,
  findings: CheckedFinding[],
  requests: readonly ChangeRequest[],
  options: ChangeOptions,
  io: { aws: AwsModule; gateway: AwsGateway; callOptions: CallOptions },
): Promise<Resolution> {
  const failures = new Map(draft.failures);
  const warnings = new Map<string, string[]>();
  const shownFindings: Finding[] = [];
  const keyOf = (f: Finding) => imageKeyOf(f);
  const isPublic = publicImages(draft.steps);

  // Blockers.
  const blockers = findings.filter((f) => f.severity === 'blocker');
  for (const [key, group] of groupBy(blockers, keyOf)) failures.set(key, group.map((f) => f.message).join(' '));

  // Checks that could not run: never skipped for a public change.
  const unchecked = findings.filter((f) => f.severity === 'checkFailed' && !failures.has(keyOf(f)));
  const uncheckedPublic = unchecked.filter((f) => isPublic.has(keyOf(f)));
  for (const f of uncheckedPublic) failures.set(keyOf(f), l10n.t('{0}. A public change never goes ahead without its checks; nothing was changed.', f.message));
  const skippable = unchecked.filter((f) => !isPublic.has(keyOf(f)));
  const remaining = () => new Set(draft.steps.map((s) => imageKeyOf(s.address)).filter((k) => !failures.has(k)));

  if (options.interactive && (blockers.length || uncheckedPublic.length)) {
    const blockedKeys = new Set([...blockers, ...uncheckedPublic].map(keyOf));
    const awsKey = blockers.filter((f) => f.code === 'awsManagedKey');
    const others = remaining().size;
    const actions = [...(awsKey.length === 1 && options.copyWithCustomerKey ? [copyWithCmk()] : []), ...(others ? [l10n.t('Go on with the other {0}', others)] : [])];
    const first = [...blockers, ...uncheckedPublic][0]!;
    const choice = await services.prompts.choose(
      blockedKeys.size === 1 ? l10n.t('{0} cannot be changed', first.imageId) : l10n.t('{0} AMIs cannot be changed', blockedKeys.size),
      [...blockedKeys].map((k) => failures.get(k)).join('\n\n'),
      actions,
    );
    if (choice === copyWithCmk()) {
      const f = awsKey[0]!;
      const request = requests.find((r) => r.kind === 'launchPermissions' && imageKeyOf(r.image) === keyOf(f));
      const image: ImageRef = { profile: f.profile, region: f.region, imageId: f.imageId };
      await options.copyWithCustomerKey!(image, request?.kind === 'launchPermissions' ? request.add : []);
      throw new ChangeCancelled(l10n.t('The AMI was not shared; its copy was offered instead.'));
    }
    if (!choice) throw new ChangeCancelled();
  }

  if (skippable.length) {
    const detail = uniqueBy(skippable, (f) => f.message).map((f) => f.message).join('\n');
    let goOn = options.proceedWithoutChecks === true;
    if (!goOn && options.interactive) {
      const choice = await services.prompts.choose(
        skippable.length === 1 ? l10n.t('A check could not run') : l10n.t('{0} checks could not run', skippable.length),
        l10n.t('{0}\n\nWithout them AMI Sharing cannot tell whether recipients will be able to use what is shared.', detail),
        [goOnWithoutChecks()],
      );
      if (choice !== goOnWithoutChecks()) throw new ChangeCancelled();
      goOn = true;
    }
    for (const f of skippable) {
      if (goOn) {
        addTo(warnings, keyOf(f), l10n.t('{0} (went on without this check)', f.message));
        shownFindings.push(f);
      } else {
        failures.set(keyOf(f), l10n.t('{0}. Nothing was changed; pass proceedWithoutChecks: true to go on without it.', f.message));
      }
    }
  }

  // Public risk: shown in the confirmation, which always asks.
  for (const f of findings.filter((x) => x.severity === 'warning' && x.code !== 'keyPolicy' && !failures.has(keyOf(x)))) shownFindings.push(f);

  // Key policies that do not allow the recipients yet.
  // Statements already planned in this change (a promotion plans them) cover their recipients: nothing to offer.
  const planned = new Set(
    draft.steps.filter((s) => s.address.kind === 'keyPolicy').flatMap((s) => [...s.before, ...s.diff.add].map((p) => `${s.address.profile}\u0000${s.address.keyArn}\u0000${permissionKey(p)}`)),
  );
  const coveredByPlan = (f: CheckedFinding) => f.keyAccess!.missing.every((m) => planned.has(`${f.profileOfKey}\u0000${f.keyAccess!.keyArn}\u0000${permissionKey(permissionOfRecipient(m.recipient))}`));
  const keyFindings = findings.filter((f) => f.code === 'keyPolicy' && f.keyAccess && !failures.has(keyOf(f)) && !coveredByPlan(f));
  for (const f of keyFindings) addTo(warnings, keyOf(f), f.message);
  if (options.interactive && options.offerKeyPolicyFix !== false && keyFindings.length) {
    const byKey = new Map(keyFindings.map((f) => [`${f.profileOfKey}\u0000${f.keyAccess!.keyArn}`, f] as const));
    const recipients = uniqueBy(keyFindings.flatMap((f) => f.keyAccess!.missing.map((m) => m.recipient)), describeRecipient);
    const detail = [...new Set(keyFindings.map((f) => f.message)), '', l10n.t('Keys: {0}', [...byKey.values()].map((f) => f.keyAccess!.keyArn).join(', ')),
      l10n.t('Recipients who need access: {0}', recipients.map(describeRecipient).join(', ')),
    ].join('\n');
    const choice = await services.prompts.choose(l10n.t('Recipients need access to the encryption key'), detail, [addKeyStatements(), copyStatements(), shareAnyway()]);
    if (!choice) throw new ChangeCancelled();
    if (choice === copyStatements()) await services.ui.copyText(formatPolicy(statementsFor(recipients)), l10n.t('Key policy statements copied to the clipboard: add them to the Statement list of the key policy.'));
    if (choice === addKeyStatements()) {
      const keyRequests: ChangeRequest[] = [...byKey.values()].map((f) => ({
        kind: 'keyPolicy',
        profile: f.profileOfKey!,
        keyArn: f.keyAccess!.keyArn,
        grant: f.keyAccess!.missing.map((m) => permissionOfRecipient(m.recipient)),
        revoke: [],
        forImages: keyFindings.filter((k) => k.keyAccess!.keyArn === f.keyAccess!.keyArn).map((k) => k.imageId),
      }));
      const keyDraft = await readAndPlan(io.aws, io.gateway, keyRequests, io.callOptions);
      draft.steps.unshift(...keyDraft.steps);
      for (const [key, texts] of keyDraft.policies) draft.policies.set(key, texts);
      for (const f of keyFindings) warnings.delete(keyOf(f));
    }
  }
  return { failures, warnings, shownFindings };
}
