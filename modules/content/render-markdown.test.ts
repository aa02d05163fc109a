import { describe, expect, it } from 'vitest';
import { renderPostMarkdown } from './render-markdown';

describe('renderPostMarkdown', () => {
  it('renders headings, emphasis, lists, code and links', async () => {
    const html = await renderPostMarkdown('# Weft 1.0\n\nIt is **out**.\n\n- one\n- two\n\n`npm start` and [the docs](/docs).');
    expect(html).toContain('<h1>Weft 1.0</h1>');
    expect(html).toContain('<strong>out</strong>');
    expect(html).toContain('<li>one</li>');
    expect(html).toContain('<code>npm start</code>');
    expect(html).toContain('<a href="/docs">the docs</a>');
  });

  it('shows raw HTML as text instead of running it', async () => {
    const html = await renderPostMarkdown('<script>alert(1)</script>\n\n<img src=x onerror="alert(2)">\n\nhi <b onclick="x()">there</b>');
    expect(html).not.toMatch(/<script|<img|<b /);
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).toContain('&lt;img src=x onerror=&quot;alert(2)&quot;&gt;');
  });

  it('refuses script-capable link and image targets', async () => {
    for (const target of ['javascript:alert(1)', 'JaVaScRiPt:alert(1)', 'vbscript:msgbox(1)', 'data:text/html;base64,PHNjcmlwdD4=', 'file:///etc/passwd']) {
      const html = await renderPostMarkdown(`[click](${target}) ![pic](${target})`);
      expect(html, target).not.toMatch(/<a |<img /);
    }
  });

  it('marks links to other sites nofollow and keeps attribute values quoted', async () => {
    const html = await renderPostMarkdown('[site](https://example.test/a?b=1&c="2") and https://weft.test/x');
    expect(html).toContain('<a href="https://example.test/a?b=1&amp;c=%222%22" rel="nofollow noopener noreferrer">site</a>');
    expect(html).toContain('<a href="https://weft.test/x" rel="nofollow noopener noreferrer">https://weft.test/x</a>');
  });
});
