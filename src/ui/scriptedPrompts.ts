// l10n-ignore-file: test-only scripted answers; their errors name the scripted questions for test authors.
import type { InputOptions, PickItem, UserPrompts } from './prompts';

/** Answers prompts from a script, in order; anything unexpected throws so a test fails at once. */
export type ScriptedAnswer =
  | { pickOne: (items: PickItem<unknown>[]) => unknown }
  | { pickMany: (items: PickItem<unknown>[]) => unknown[] | undefined }
  | { input: string | undefined }
  | { confirm: boolean }
  | { choose: (actions: string[]) => string | undefined };

export class ScriptedPrompts implements UserPrompts {
  readonly asked: string[] = [];
  constructor(private readonly answers: ScriptedAnswer[] = []) {}

  push(...answers: ScriptedAnswer[]): void {
    this.answers.push(...answers);
  }

  get remaining(): number {
    return this.answers.length;
  }

  private next<K extends 'pickOne' | 'pickMany' | 'input' | 'confirm' | 'choose'>(kind: K, title: string): Extract<ScriptedAnswer, Record<K, unknown>> {
    this.asked.push(`${kind}: ${title}`);
    const answer = this.answers.shift();
    if (!answer || !(kind in answer)) {
      throw new Error(`Unexpected ${kind} prompt "${title}"; scripted answer was ${answer ? Object.keys(answer)[0] : 'none'}`);
    }
    return answer as Extract<ScriptedAnswer, Record<K, unknown>>;
  }

  async pickOne<T>(items: PickItem<T>[], options: { title: string }): Promise<T | undefined> {
    return this.next('pickOne', options.title).pickOne(items as PickItem<unknown>[]) as T | undefined;
  }

  async pickMany<T>(items: PickItem<T>[], options: { title: string }): Promise<T[] | undefined> {
    return this.next('pickMany', options.title).pickMany(items as PickItem<unknown>[]) as T[] | undefined;
  }

  async input(options: InputOptions): Promise<string | undefined> {
    const value = this.next('input', options.title).input;
    const problem = value !== undefined ? options.validate?.(value) : undefined;
    if (problem) throw new Error(`Scripted input "${value}" rejected by validation: ${problem}`);
    return value;
  }

  async choose(message: string, detail: string, actions: string[]): Promise<string | undefined> {
    const choice = this.next('choose', `${message}\n${detail}\n[${actions.join(' | ')}]`).choose(actions);
    if (choice !== undefined && !actions.includes(choice)) throw new Error(`Scripted choice "${choice}" is not one of ${actions.join(', ')}`);
    return choice;
  }

  /** Records the message and its detail (the plan), so tests can check what the user was shown. */
  async confirm(message: string, detail: string): Promise<boolean> {
    return this.next('confirm', `${message}\n${detail}`).confirm;
  }
}
