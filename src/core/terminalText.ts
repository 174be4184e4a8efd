/**
 * Text from other accounts (AMI names, descriptions) printed on a terminal: control characters (escape
 * sequences, carriage returns, new lines) become '?', so a name can neither recolour the terminal nor forge lines.
 */
export function terminalSafe(text: string): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control and bidi characters from other accounts are what this replaces.
  return text.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/gu, '?');
}
