// The README the VSIX ships (vsce --readme-path). VS Code's extension page drops relative links and
// images of an extension installed from a VSIX with no public repository (their href and src are
// removed: the "docs/FORMATS.md" link did nothing and the screenshot was a broken image, seen in the
// real editor, UI scenario 60). So, for the VSIX only:
// - the screenshot is left out (a data: URI is dropped too: tried, UI scenario 60);
// - docs/FORMATS.md is appended (its headings one level down) and its links point there;
// - links to the other docs (benchmark history, for developers) become plain text naming the file.
// README.md itself stays as it is for the repository.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.join(path.dirname(fileURLToPath(import.meta.url)), '..');
const out = path.join(root, 'dist', 'README.vsix.md');

/** The anchor VS Code's markdown gives a heading: lower case, punctuation dropped, spaces to dashes. */
export function slug(heading) {
  return heading.trim().toLowerCase().replace(/[^\p{L}\p{N}\- ]/gu, '').replace(/ /g, '-');
}

export function vsixReadme(readme, formats) {
  const title = /^# (.+)$/m.exec(formats)?.[1];
  if (!title) throw new Error('docs/FORMATS.md has no title');
  const anchor = `#${slug(title)}`;
  let text = readme.replace(/^!\[[^\]\n]*\]\((?!https:)[^)\s]+\)[ \t]*\r?\n(?:[ \t]*\r?\n)?/gm, '');
  text = text.replace(/\[([^\]\n]+)\]\(docs\/FORMATS\.md\)/g, (_, t) => `[${t}](${anchor})`);
  // Any other relative link (not a web address or an in-page anchor): its text, and the file it named.
  text = text.replace(/\[([^\]\n]+)\]\((?!https?:|#|data:|mailto:)([^)\s]+)\)/g, (all, t, href) => (t === href ? `\`${href}\` (in the source repository)` : `${t} (\`${href}\` in the source repository)`));
  const appendix = formats.replace(/^(#{1,5}) /gm, '#$1 ');
  return `${text.trimEnd()}\n\n${appendix.trimEnd()}\n`;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
  const readme = fs.readFileSync(path.join(root, 'README.md'), 'utf8');
  const formats = fs.readFileSync(path.join(root, 'docs', 'FORMATS.md'), 'utf8');
  fs.mkdirSync(path.dirname(out), { recursive: true });
  fs.writeFileSync(out, vsixReadme(readme, formats));
  console.log(`wrote ${path.relative(root, out)}`);
}
