/** Tiny DOM helpers: every piece of text goes in through textContent, never innerHTML. */
type Attributes = Record<string, string | boolean | undefined>;

export function el<K extends keyof HTMLElementTagNameMap>(tag: K, attributes: Attributes = {}, ...children: Array<Node | string | undefined | false>): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === undefined || value === false) continue;
    if (name === 'class') element.className = String(value);
    else element.setAttribute(name, value === true ? '' : value);
  }
  for (const child of children) {
    if (child === undefined || child === false) continue;
    element.append(typeof child === 'string' ? document.createTextNode(child) : child);
  }
  return element;
}

export function icon(name: string): HTMLElement {
  return el('span', { class: `codicon codicon-${name}`, 'aria-hidden': 'true' });
}

export function button(label: string, onClick: () => void, options: { icon?: string; secondary?: boolean; ariaLabel?: string; disabled?: boolean; id?: string } = {}): HTMLButtonElement {
  const b = el('button', {
    type: 'button',
    class: options.secondary ? 'secondary' : undefined,
    'aria-label': options.ariaLabel,
    disabled: options.disabled,
    id: options.id,
  }, options.icon ? icon(options.icon) : undefined, label ? el('span', {}, label) : undefined);
  b.addEventListener('click', onClick);
  return b;
}
