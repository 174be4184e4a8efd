import * as readline from 'node:readline/promises';
import type { InputOptions, PickItem, UserPrompts } from '../ui/prompts';

/**
 * The CLI's prompts: a confirmation is asked on the terminal (stdin and stderr both a TTY), answered yes by
 * --yes, and refused when there is no terminal. The pipeline asks nothing else of the CLI: any other
 * question is an error, so nothing waits for an answer that cannot come.
 */
export class TerminalPrompts implements UserPrompts {
  constructor(private readonly options: { assumeYes: boolean; interactive: boolean; stderr: NodeJS.WriteStream }) {}

  async confirm(message: string, detail: string, confirmLabel: string): Promise<boolean> {
    this.options.stderr.write(`${message}\n${detail}\n`);
    if (this.options.assumeYes) {
      this.options.stderr.write(`${confirmLabel}: yes (--yes)\n`);
      return true;
    }
    if (!this.options.interactive) return false;
    return /^y(es)?$/i.test((await this.ask(`${confirmLabel}? [y/N] `)).trim());
  }

  async input(options: InputOptions): Promise<string | undefined> {
    if (!this.options.interactive) throw new Error(`${options.title}: needs an answer on a terminal.`);
    const answer = (await this.ask(`${options.prompt}: `)).trim();
    const problem = options.validate?.(answer);
    if (problem) throw new Error(problem);
    return answer || undefined;
  }

  async pickOne<T>(_items: PickItem<T>[], options: { title: string }): Promise<T | undefined> {
    throw new Error(`${options.title}: the CLI does not ask this; give it as an option.`);
  }

  async pickMany<T>(_items: PickItem<T>[], options: { title: string }): Promise<T[] | undefined> {
    throw new Error(`${options.title}: the CLI does not ask this; give it as an option.`);
  }

  async choose(message: string): Promise<string | undefined> {
    this.options.stderr.write(`${message}: not asked in the CLI; nothing was changed for it.\n`);
    return undefined;
  }

  private async ask(question: string): Promise<string> {
    const rl = readline.createInterface({ input: process.stdin, output: this.options.stderr, terminal: true });
    try {
      return await rl.question(question);
    } finally {
      rl.close();
    }
  }
}
