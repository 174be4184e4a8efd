import * as vscode from 'vscode';
import type { InputOptions, PickItem, UserPrompts } from './prompts';

export class VsCodePrompts implements UserPrompts {
  async pickOne<T>(items: PickItem<T>[], options: { title: string; placeHolder?: string }): Promise<T | undefined> {
    const picked = await vscode.window.showQuickPick(items, { title: options.title, placeHolder: options.placeHolder ?? '', matchOnDescription: true });
    return picked?.value;
  }

  async pickMany<T>(items: PickItem<T>[], options: { title: string; placeHolder?: string }): Promise<T[] | undefined> {
    const picked = await vscode.window.showQuickPick(items, {
      title: options.title,
      placeHolder: options.placeHolder ?? '',
      canPickMany: true,
      matchOnDescription: true,
    });
    return picked?.map((item) => item.value);
  }

  input(options: InputOptions): Promise<string | undefined> {
    return Promise.resolve(
      vscode.window.showInputBox({
        title: options.title,
        prompt: options.prompt,
        placeHolder: options.placeHolder ?? '',
        value: options.value ?? '',
        password: options.password ?? false,
        ignoreFocusOut: true,
        ...(options.validate ? { validateInput: options.validate } : {}),
      }),
    );
  }

  async choose(message: string, detail: string, actions: string[]): Promise<string | undefined> {
    return vscode.window.showWarningMessage(message, { modal: true, detail }, ...actions);
  }

  async confirm(message: string, detail: string, confirmLabel: string): Promise<boolean> {
    const answer = await vscode.window.showWarningMessage(message, { modal: true, detail }, confirmLabel);
    return answer === confirmLabel;
  }
}
