/**
 * A tiny XML builder for AWS query-protocol responses.
 *
 * Rendered fragments carry the `Xml` brand so that a plain (unescaped) string can never be passed
 * where markup is expected: every text value goes through `escapeXml` on its way in.
 */

declare const xmlBrand: unique symbol;
export type Xml = string & { readonly [xmlBrand]: true };

const XML_ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&apos;',
};

export function escapeXml(value: string): string {
  return value.replace(/[&<>"']/g, (ch) => XML_ESCAPES[ch] ?? ch);
}

export type XmlText = string | number | boolean;

function assertElementName(name: string): void {
  // Element names come from our own code, never from requests; this guards against typos.
  if (!/^[A-Za-z_][\w.-]*$/.test(name)) {
    throw new Error(`Invalid XML element name: ${name}`);
  }
}

/** `<name>escaped value</name>`, or nothing when the value is undefined. */
export function text(name: string, value: XmlText | undefined | null): Xml {
  if (value === undefined || value === null) {
    return '' as Xml;
  }
  assertElementName(name);
  return `<${name}>${escapeXml(String(value))}</${name}>` as Xml;
}

/** `<name>children</name>`; children are already-rendered fragments. */
export function node(name: string, ...children: Xml[]): Xml {
  assertElementName(name);
  return `<${name}>${children.join('')}</${name}>` as Xml;
}

/** Like `node`, but with an xmlns attribute, for response envelopes. */
export function rootNode(name: string, namespace: string, ...children: Xml[]): Xml {
  assertElementName(name);
  return `<${name} xmlns="${escapeXml(namespace)}">${children.join('')}</${name}>` as Xml;
}

/** EC2 lists: `<name><item>…</item><item>…</item></name>`. */
export function itemList<T>(name: string, items: readonly T[], render: (item: T) => Xml[]): Xml {
  return node(name, ...items.map((item) => node('item', ...render(item))));
}

export function concat(...parts: Xml[]): Xml {
  return parts.join('') as Xml;
}

export const XML_DECLARATION = '<?xml version="1.0" encoding="UTF-8"?>\n';
