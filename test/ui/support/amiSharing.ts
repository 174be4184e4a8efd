// Helpers that know the AMI Sharing extension's UI: its tree levels and its Edit Permissions webview form.
import type { Frame, Page } from 'playwright-core';
import { eventually, failNow } from '../../support/poll';
import { CONTAINER_TITLE } from './session';
import { clickActivityBarItem, clickDialogButton, expandTreeRow, findWebviewFrame, waitForDialog, type ModalDialog, type TreeRow } from './workbench';

/**
 * Shows the AMI Sharing view with PROFILE → REGION → GROUP expanded and returns GROUP's rows once loaded.
 * Expands the first row of each label, so expand one profile and Region per test file.
 */
export async function showImageGroup(p: Page, profile: string, region: string, group: 'My AMIs' | 'Shared with me'): Promise<TreeRow[]> {
  await clickActivityBarItem(p, CONTAINER_TITLE);
  await expandTreeRow(p, profile);
  await expandTreeRow(p, region);
  return expandTreeRow(p, group);
}

/**
 * The Edit Permissions form whose document satisfies `isIt` (e.g. shows an AMI ID); on timeout the error
 * lists what every frame shows (no form, a form still loading, the form of another AMI).
 */
export async function findForm(p: Page, what: string, isIt: (frame: Frame) => Promise<boolean>, timeoutMs = 20_000): Promise<Frame> {
  try {
    return await findWebviewFrame(p, isIt, timeoutMs);
  } catch (error) {
    const frames = await Promise.all(
      p.frames().map(async (frame) => {
        // biome-ignore lint/performance/useDomNodeTextContent: innerText is what the reader sees (line breaks of separate elements); textContent runs them together.
        const text = await frame.locator('body').innerText({ timeout: 500 }).catch(() => '(unreadable)');
        return `  ${frame.url().slice(0, 100)}: ${JSON.stringify(text.replace(/\s+/g, ' ').slice(0, 160))}`;
      }),
    );
    throw new Error(`no Edit Permissions form ${what} (${(error as Error).message}); frames:\n${frames.join('\n')}`);
  }
}

/** The single-AMI form showing this AMI ID in its summary. */
export function findFormOf(p: Page, imageId: string): Promise<Frame> {
  return findForm(p, `showing AMI ID ${imageId}`, async (frame) =>
    (await frame.locator('dd[data-field="AMI ID"]').textContent({ timeout: 200 }).catch(() => null))?.trim() === imageId,
  );
}

/** The bulk form whose table has exactly these AMIs (rows tr[data-image-id]). */
export function findBulkForm(p: Page, imageIds: string[]): Promise<Frame> {
  const wanted = [...imageIds].sort().join(',');
  return findForm(p, `with the AMIs ${wanted}`, async (frame) => {
    const ids = await frame.locator('tr[data-image-id]').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-image-id') ?? ''));
    return ids.length > 0 && [...ids].sort().join(',') === wanted;
  });
}

/** Buttons that confirm the extension's modals, most specific first ("Share anyway" proceeds without editing key policies). */
const CONFIRMING_BUTTONS = ['Share anyway', 'Share', 'Save', 'Save changes', 'Apply', 'Continue', 'Yes', 'OK'];

export interface SaveOutcome {
  /** The text of #result-message once it matched. */
  result: string;
  /** Every VS Code modal that appeared meanwhile, and the button clicked on it. */
  modals: Array<ModalDialog & { clicked: string }>;
}

/**
 * Clicks the form's Save and waits until #result-message matches `done`. `expectedModals` are the questions
 * the save must ask, in order (their messages): any other modal, or one missing, fails the test. Each is
 * recorded and confirmed with the first of CONFIRMING_BUTTONS it has (else its first button that is not Cancel).
 */
export async function saveAndConfirm(p: Page, form: Frame, done: RegExp, expectedModals: RegExp[], timeoutMs = 25_000): Promise<SaveOutcome> {
  // An earlier save's result would satisfy the wait at once; use a form that has not saved yet.
  if ((await form.locator('#result-message').count()) > 0) throw new Error('the form already shows a result; open a fresh form to save');
  await form.locator('#save').click();
  const modals: SaveOutcome['modals'] = [];
  const box = p.locator('.monaco-dialog-box');
  return eventually(
    async (): Promise<SaveOutcome> => {
      const last = (await form.locator('#result-message').textContent({ timeout: 500 }).catch(() => null))?.trim();
      if (last !== undefined && done.test(last)) {
        if (modals.length !== expectedModals.length) failNow(new Error(`expected the modals ${expectedModals.join(', ')}; saw ${JSON.stringify(modals.map((m) => m.message))}`));
        return { result: last, modals };
      }
      if (await box.isVisible()) {
        const modal = await waitForDialog(p, 2_000);
        const wanted = expectedModals[modals.length];
        if (!wanted?.test(modal.message)) failNow(new Error(`unexpected modal ${JSON.stringify(modal)}; expected ${wanted ?? 'none'} (after ${modals.length})`));
        const clicked = CONFIRMING_BUTTONS.find((label) => modal.buttons.includes(label)) ?? modal.buttons.find((b) => b !== 'Cancel');
        if (!clicked) failNow(new Error(`a modal without a confirming button: ${JSON.stringify(modal)}`));
        modals.push({ ...modal, clicked });
        await clickDialogButton(p, clicked);
      }
      throw new Error(`#result-message never matched ${done} within ${timeoutMs} ms; last text: ${JSON.stringify(last ?? '(none)')}; modals: ${JSON.stringify(modals)}`);
    },
    { timeoutMs, intervalMs: 150 },
  );
}

/** The current (not pending) permission entries the form lists under "Shared accounts". */
export async function currentAccounts(form: Frame): Promise<string[]> {
  const values = await form.locator('ul[aria-labelledby="accounts-heading"] li[data-permission]:not(.adding) .value').allTextContents();
  return values.map((v) => v.trim()).sort();
}
