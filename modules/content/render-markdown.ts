import MarkdownIt from 'markdown-it';

/**
 * Markdown to the HTML a post is shown as. Safe by construction rather than
 * cleaned afterwards: raw HTML in the markdown is escaped (`html: false`),
 * and markdown-it refuses link and image targets with a script-capable scheme
 * (javascript:, vbscript:, file:, data: other than images). Links to other
 * sites are marked nofollow and open no window reference to this one.
 */
const markdown = new MarkdownIt({ html: false, linkify: true, typographer: false });

const renderLinkOpen = markdown.renderer.rules.link_open ?? ((tokens, index, options, _env, self) => self.renderToken(tokens, index, options));
markdown.renderer.rules.link_open = (tokens, index, options, env, self) => {
  const href = String(tokens[index]!.attrGet('href') ?? '');
  if (/^[a-z][a-z0-9+.-]*:/i.test(href)) tokens[index]!.attrSet('rel', 'nofollow noopener noreferrer');
  return renderLinkOpen(tokens, index, options, env, self);
};

export function renderPostMarkdown(text: string): string {
  return markdown.render(text);
}
