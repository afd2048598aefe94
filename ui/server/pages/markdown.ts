// doc_md as HTML that cannot carry script: markdown-it with raw HTML off (tags are shown as text), links only to
// http(s), mailto and relative URLs (no javascript:, data:, vbscript:), and every link rel="noopener noreferrer".
import MarkdownIt from 'markdown-it';

const md = new MarkdownIt({ html: false, linkify: true, typographer: false });
const SAFE_URL = /^(https?:|mailto:|[/#?.]|[^:]*$)/i;
md.validateLink = (url: string) => SAFE_URL.test(url.trim());
const defaultLinkOpen = md.renderer.rules.link_open ?? ((tokens, idx, options, _env, self) => self.renderToken(tokens, idx, options));
md.renderer.rules.link_open = (tokens, idx, options, env, self) => {
  tokens[idx].attrSet('rel', 'noopener noreferrer nofollow');
  return defaultLinkOpen(tokens, idx, options, env, self);
};

export function renderMarkdown(text: string): string {
  return md.render(text);
}
