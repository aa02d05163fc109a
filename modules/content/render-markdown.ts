import type MarkdownItClass from 'markdown-it';

type MarkdownIt = InstanceType<typeof MarkdownItClass>;

/**
 * Markdown to the HTML a post is shown as. Safe by construction rather than
 * cleaned afterwards: raw HTML in the markdown is escaped (`html: false`),
 * and markdown-it refuses link and image targets with a script-capable scheme
 * (javascript:, vbscript:, file:, data: other than images). Links to other
 * sites are marked nofollow and open no window reference to this one.
 *
 * markdown-it (and its entity tables) is loaded on the first post saved, not
 * when the server starts: most processes never render one.
 */
let markdown: Promise<MarkdownIt> | undefined;

async function loadMarkdown(): Promise<MarkdownIt> {
  const { default: MarkdownItConstructor } = await import('markdown-it');
  const instance = new MarkdownItConstructor({ html: false, linkify: true, typographer: false });
  const renderLinkOpen = instance.renderer.rules.link_open ?? ((tokens, index, options, _env, self) => self.renderToken(tokens, index, options));
  instance.renderer.rules.link_open = (tokens, index, options, env, self) => {
    const href = String(tokens[index]!.attrGet('href') ?? '');
    if (/^[a-z][a-z0-9+.-]*:/i.test(href)) tokens[index]!.attrSet('rel', 'nofollow noopener noreferrer');
    return renderLinkOpen(tokens, index, options, env, self);
  };
  return instance;
}

export async function renderPostMarkdown(text: string): Promise<string> {
  markdown ??= loadMarkdown();
  return (await markdown).render(text);
}
