import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import type { ImageSummary } from '../../src/core/types';
import type { ExplorerData } from '../../src/tree/explorerData';
import { ExplorerModel } from '../../src/tree/explorerModel';
import type { ImageNode } from '../../src/tree/nodes';
import { markdownText, presentNode, tooltipMarkdown } from '../../src/tree/presentation';

/** markdown-it (here through @vscode/vsce) with linkify on: it links bare URLs, `www.` hosts, known-TLD domains and e-mail addresses. */
interface MarkdownRenderer {
  render(source: string): string;
  linkify: { test(text: string): boolean };
}
const markdownIt = require('markdown-it') as (options: { html: boolean; linkify: boolean }) => MarkdownRenderer;
const renderer = markdownIt({ html: false, linkify: true });

const HOSTILE_NAME = 'see https://evil.example/x or www.evil.example [a](command:x) <img src=x>';
const HOSTILE_DESCRIPTION =
  'mail bob@evil.com, visit evil.com or http://localhost:8080, <a href="https://evil.example">x</a> ![i](https://evil.example/i.png) <https://evil.example/auto> ftp://evil.example //evil.com/p **bold** `code`\n# heading\n- item &lt;b&gt; $(alert) [r]: https://evil.example';

const ZERO_WIDTH_JOINER = /\u200D/g;

function hostileImage(): ImageSummary {
  return {
    imageId: 'ami-0123456789abcdef0',
    name: HOSTILE_NAME,
    description: HOSTILE_DESCRIPTION,
    ownerId: '222222222222',
    state: 'available',
    creationDate: '2026-01-01T00:00:00.000Z',
    isPublic: false,
    snapshotIds: [],
    anyEncrypted: false,
  };
}

const noData = {} as ExplorerData;

/** What a reader sees: the rendered HTML's text, entities decoded, zero-width joiners gone. */
function visibleText(html: string): string {
  return html
    .replace(/<[^>]*>/g, '')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&amp;/g, '&')
    .replace(ZERO_WIDTH_JOINER, '');
}

function assertNoLinkOrMarkup(markdown: string): void {
  const html = renderer.render(markdown);
  assert.doesNotMatch(html, /<a[\s>]/, `a link was rendered:\n${html}`);
  assert.doesNotMatch(html, /<(img|script|h\d|ul|li|code|pre|blockquote)[\s>]/, `markup was rendered:\n${html}`);
  // The produced source itself: no scheme, www. host, domain or address left whole for another renderer to link.
  const plain = markdown.replace(/\\(.)/g, '$1');
  assert.doesNotMatch(plain, /[a-z][a-z0-9+.-]*:\/\//i, 'a scheme:// sequence');
  assert.doesNotMatch(plain, /www\.[^\u200D]/i, 'a www. sequence');
  assert.doesNotMatch(plain, /[\w-]\.[a-z]/i, 'a dotted host');
  assert.doesNotMatch(plain, /[\w.+-]@[\w-]/, 'an e-mail address');
  assert.doesNotMatch(plain, /(command|mailto|javascript|file|vscode):[^\u200D]/i, 'a scheme: prefix');
  assert.equal(renderer.linkify.test(plain), false, `linkify-it finds a link in:\n${plain}`);
}

test('sanity: unescaped, the hostile texts do render as links and HTML (so the checks below have teeth)', () => {
  const raw = markdownIt({ html: true, linkify: true }).render(`${HOSTILE_NAME}\n\n${HOSTILE_DESCRIPTION}`);
  assert.match(raw, /<a href="https:\/\/evil\.example\/x"/);
  assert.match(raw, /<a href="mailto:bob@evil\.com"/);
  assert.match(raw, /<a href="http:\/\/evil\.com"/);
  assert.match(raw, /<a href="command:x"/);
  assert.match(raw, /<img src="x"|<img src=x>/);
  assert.equal(renderer.linkify.test('www.evil.com'), true);
});

test('markdownText: Markdown and HTML syntax is escaped, URLs are broken with zero-width joiners, the text reads the same', () => {
  const source = markdownText('https://evil.example/x www.evil.example a@b.co [a](command:x) <img src=x>');
  assert.equal(source.replace(/\\(.)/g, '$1').replace(ZERO_WIDTH_JOINER, ''), 'https://evil.example/x www.evil.example a@b.co [a](command:x) <img src=x>');
  assert.equal(renderer.linkify.test(source.replace(/\\(.)/g, '$1')), false);
  assert.equal(markdownText('line one\nline two\r\n\tthree'), 'line one line two  three', 'one line, no control characters');
  assert.equal(markdownText('v1.2: ok.'), 'v1\\.\u200D2\\:\u200D ok\\.\u200D', 'a joiner after every dot and colon, also before a space or at the end');
});

test('a hostile AMI name and description cannot become links, HTML or command links in the tooltip', async () => {
  const model = new ExplorerModel(noData, () => undefined);
  model.setStatus('dev', 'us-east-1', 'ami-0123456789abcdef0', { error: 'failed, see https://evil.example/help' });
  for (const owned of [true, false]) {
    const node: ImageNode = { kind: 'image', id: 'profile/dev/region/us-east-1/owned/ami-0123456789abcdef0', profile: 'dev', region: 'us-east-1', owned, image: hostileImage() };
    const presentation = presentNode(node, model, {});
    const markdown = tooltipMarkdown({ ...presentation.tooltip!, details: ['Snapshot permissions could not be read: see https://evil.example/docs'] });
    const html = renderer.render(markdown);
    assertNoLinkOrMarkup(markdown);
    // Still readable: every hostile string shows literally.
    const shown = visibleText(html);
    for (const text of [HOSTILE_NAME, ...HOSTILE_DESCRIPTION.split('\n'), 'https://evil.example/docs']) {
      assert.ok(shown.includes(text), `"${text}" is not shown as text in:\n${shown}`);
    }
    if (owned) assert.ok(shown.includes('Last action failed: failed, see https://evil.example/help'));
    // Our own structure survives: the title and the labels are bold, the name is the title.
    assert.equal(visibleText(/<strong>(.*?)<\/strong>/.exec(html)?.[1] ?? ''), HOSTILE_NAME);
    assert.match(html, /<strong>Description<\/strong>:/);
  }
});

test('escaping every ASCII punctuation character and joining link points stays inert for every printable ASCII string', () => {
  // Each printable ASCII character around a URL skeleton: nothing combines into markup or a link.
  for (let code = 0x21; code < 0x7f; code += 1) {
    const c = String.fromCharCode(code);
    const markdown = tooltipMarkdown({ title: `${c}https://e.co${c}`, lines: [{ label: 'L', text: `${c}${c}www.e.co${c}[x](y:z)${c}<b>${c}` }] });
    assertNoLinkOrMarkup(markdown);
  }
});

test('property: any text made of URL, Markdown and HTML pieces renders as text only, shown as it was', () => {
  const piece = fc.constantFrom(
    'https://', 'http://', '//', 'www.', 'evil', '.', 'com', 'example', '@', ':', '/', 'mailto:', 'command:', '[', ']', '(', ')', '<', '>',
    'img src=x', '!', '*', '_', '`', '\\', '&', '#', ';', 'lt', ' ', '\n', '-', '1.', '|', '~', '=', '"', 'localhost', '\u3002', 'x',
  );
  fc.assert(
    fc.property(fc.array(piece, { maxLength: 30 }), fc.array(piece, { maxLength: 30 }), (title, text) => {
      const [titleText, lineText] = [title.join(''), text.join('')];
      const markdown = tooltipMarkdown({ title: titleText || 'untitled', lines: [{ label: 'Name', text: lineText }] });
      assertNoLinkOrMarkup(markdown);
      const html = renderer.render(markdown);
      assert.doesNotMatch(html, /<(?!\/?(p|strong|br)\b)/, html);
      const shown = visibleText(html);
      assert.ok(shown.includes(`Name: ${lineText.replace(/\n+/g, ' ')}`.trimEnd()), `${JSON.stringify(lineText)} is not shown as it was in:\n${shown}`);
    }),
    { numRuns: 500 },
  );
});

test('lifecycle: disabled, deprecated (with the time), protection and its cooldown, and the state reason show in description and tooltip', () => {
  const model = new ExplorerModel(noData, () => undefined);
  const past = new Date(Date.now() - 86_400_000).toISOString();
  const future = '2099-01-31T00:00:00.000Z';
  const image = (extra: Partial<ImageSummary>): ImageNode => ({ kind: 'image', id: 'profile/dev/region/us-east-1/shared/ami-0123456789abcdef0', profile: 'dev', region: 'us-east-1', owned: false, image: { ...hostileImage(), name: 'n', description: 'd', ...extra } });
  const deprecated = presentNode(image({ deprecationTime: past, deregistrationProtection: 'enabled-with-cooldown' }), model, {});
  assert.match(deprecated.description!, / · deprecated · protected$/);
  const text = tooltipMarkdown(deprecated.tooltip!).replace(ZERO_WIDTH_JOINER, '').replace(/\\/g, '');
  assert.match(text, new RegExp(`Deprecated since\\*\\*: ${past}`));
  assert.match(text, /hidden from recipients' default listings/);
  assert.match(text, /24-hour cooldown/);
  const upcoming = presentNode(image({ deprecationTime: future, deregistrationProtection: 'disabled-until 2026-12-02T10:00:00Z' }), model, {});
  assert.match(upcoming.description!, / · deprecates 2099-01-31 · protected$/);
  assert.match(tooltipMarkdown(upcoming.tooltip!).replace(ZERO_WIDTH_JOINER, '').replace(/\\/g, ''), /still protected until 2026-12-02T10:00:00Z \(cooldown\)/);
  const disabled = presentNode(image({ state: 'disabled' }), model, {});
  assert.match(disabled.description!, / · disabled$/);
  const plain = presentNode(image({ deregistrationProtection: 'disabled' }), model, {});
  assert.equal(plain.description, 'ami-0123456789abcdef0 · owner 222222222222');
});

test('a hostile state reason stays text in the tooltip', () => {
  const model = new ExplorerModel(noData, () => undefined);
  const node: ImageNode = { kind: 'image', id: 'profile/dev/region/us-east-1/shared/ami-0123456789abcdef0', profile: 'dev', region: 'us-east-1', owned: false, image: { ...hostileImage(), state: 'failed', stateReason: `Server.InternalError: ${HOSTILE_NAME}` } };
  const markdown = tooltipMarkdown(presentNode(node, model, {}).tooltip!);
  assertNoLinkOrMarkup(markdown);
  assert.ok(visibleText(renderer.render(markdown)).includes(`State reason: Server.InternalError: ${HOSTILE_NAME}`));
});
