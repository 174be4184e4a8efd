import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { AmiSharingApi } from '../../src/extension';
import { ScriptedPrompts } from '../../src/ui/scriptedPrompts';
import { ControlClient } from '../support/controlClient';
import { activateExtension } from './helpers';

export interface ScriptedSuite {
  readonly api: AmiSharingApi;
  /** This test's prompts: answers are pushed by the test, every question asked is recorded. */
  readonly prompts: ScriptedPrompts;
}

/**
 * The usual set-up of a suite that drives commands: the extension active with profiles dev and prod, the
 * endpoint back to its fixture and fresh scripted prompts before each test, and no scripted answer left
 * unused after it (an expected question that was not asked fails the test).
 */
export function scriptedSuite(): ScriptedSuite {
  const suite = {} as { api: AmiSharingApi; prompts: ScriptedPrompts };
  const control = ControlClient.fromEnvironment();
  before(async () => {
    suite.api = await activateExtension();
    await vscode.workspace.getConfiguration('amiSharing').update('profiles', ['dev', 'prod'], vscode.ConfigurationTarget.Global);
  });
  beforeEach(async () => {
    await control.reset();
    suite.prompts = new ScriptedPrompts();
    suite.api.setPrompts(suite.prompts);
  });
  afterEach(() => {
    assert.equal(suite.prompts.remaining, 0, `unused scripted answers; asked: ${suite.prompts.asked.join(' | ')}`);
  });
  return suite;
}
