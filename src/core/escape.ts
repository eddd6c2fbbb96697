/**
 * Text from files (column names, config keys, file names, cell text) escaped for the sink it is
 * written to. Each sink has its own dangers: a terminal runs control sequences (clear the screen,
 * write the clipboard with OSC 52), Markdown renders links, images and theme icons, a notification
 * renders `[text](command:…)` as a link that runs a command.
 */

/** C0 and C1 controls, DEL, line/paragraph separators and bidirectional overrides. */
const UNSAFE_TERMINAL = /[\u0000-\u0008\u000a-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

function hex(c: string): string {
  const n = c.charCodeAt(0);
  return n < 0x100 ? `\\x${n.toString(16).padStart(2, '0')}` : `\\u${n.toString(16).padStart(4, '0')}`;
}

/** One line of terminal output: control characters shown as `\x1b`, never sent (tabs kept). */
export function terminalSafe(s: string): string {
  return s.replace(UNSAFE_TERMINAL, hex);
}

/** Lines joined for the terminal, each made safe (so a newline inside a column name shows as \x0a). */
export function terminalLines(lines: string[]): string {
  return lines.map(terminalSafe).join('\n') + '\n';
}

/**
 * JSON for a terminal or a pipe: JSON.stringify already escapes C0 controls; C1 controls, DEL and
 * the separators are escaped too (\u009b is a control sequence introducer on some terminals).
 */
export function jsonSafe(json: string): string {
  return json.replace(/[\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/**
 * Text inside a Markdown code span: one line (a blank line would end the span and the paragraph,
 * letting what follows render as links or images), no backticks, no control characters, bounded.
 */
export function markdownCode(s: string, max = 120): string {
  let t = s.replace(/[\s\u0085\u2028\u2029]+/g, ' ').replace(UNSAFE_TERMINAL, '').replace(/`/g, "'");
  if (t.length > max) t = t.slice(0, max - 1) + '…';
  return `\`${t.trim() === '' ? ' ' : t}\``;
}

/**
 * Plain text inside Markdown (a hover, a tooltip) after a prefix on its line: one line, the Markdown
 * and entity characters escaped, so nothing from a file renders as a link, image, icon, HTML, code,
 * emphasis or a table cell (list markers `-`, `+`, `1.` matter only at a line's start). Spaces stay
 * spaces (VS Code's `appendText` turns them into no-break spaces, and a long value then wraps
 * mid-word in a narrow hover).
 */
export function markdownText(s: string): string {
  return s.replace(/[\s\u0085\u2028\u2029]+/g, ' ').replace(UNSAFE_TERMINAL, '').replace(/[\\`*_{}[\]<>|#!$()~&]/g, (c) => `\\${c}`);
}

/**
 * Text for a notification (showErrorMessage and friends), which renders `[text](target)` as a
 * link: the `](` pair is broken with a word joiner so nothing from a file becomes a link; line
 * breaks and controls become spaces.
 */
export function notificationSafe(s: string): string {
  return s.replace(UNSAFE_TERMINAL, ' ').replace(/\]\s*\(/g, ']\u2060(');
}
