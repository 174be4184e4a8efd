/**
 * Every question the extension asks goes through this interface, so tests can script the answers
 * and an unexpected prompt fails fast instead of hanging.
 */
export interface PickItem<T> {
  label: string;
  description?: string;
  detail?: string;
  picked?: boolean;
  value: T;
}

export interface InputOptions {
  title: string;
  prompt: string;
  placeHolder?: string;
  value?: string;
  password?: boolean;
  /** Returns an error message, or undefined when the value is acceptable. */
  validate?: (value: string) => string | undefined;
}

export interface UserPrompts {
  pickOne<T>(items: PickItem<T>[], options: { title: string; placeHolder?: string }): Promise<T | undefined>;
  pickMany<T>(items: PickItem<T>[], options: { title: string; placeHolder?: string }): Promise<T[] | undefined>;
  input(options: InputOptions): Promise<string | undefined>;
  /** A modal confirmation; resolves true only when the user chose `confirmLabel`. */
  confirm(message: string, detail: string, confirmLabel: string): Promise<boolean>;
  /** A modal with several ways forward; the chosen label, or undefined when cancelled. */
  choose(message: string, detail: string, actions: string[]): Promise<string | undefined>;
}
