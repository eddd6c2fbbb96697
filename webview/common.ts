/**
 * Shared by the panel and the side view: the VS Code API handle, the typed message plumbing, theme
 * colours from `--vscode-*` variables, number formatting and a text-only DOM helper (nothing that came
 * from a file is ever set as HTML).
 */
import type { FromWebview, SavedWebviewState, ToWebview } from '../src/protocol';
import { isToWebview, reviveOpenBands } from '../src/protocol';
import { formatNumber } from '../src/core/format';
import type { Plugin } from 'chart.js';

const vscodeApi = acquireVsCodeApi<SavedWebviewState>();

export function send(m: FromWebview): void {
  vscodeApi.postMessage(m);
}

/**
 * Messages for this webview (`guard` checks their shape). The host's `persist` is handled here for
 * every webview: what it names is kept with `setState` for the host's serializer after a reload.
 */
export function onMessageOf<T extends { type: string }>(guard: (m: unknown) => m is T, handler: (m: Exclude<T, { type: 'persist' }>) => void): void {
  window.addEventListener('message', (ev: MessageEvent<unknown>) => {
    if (!guard(ev.data)) return;
    const m = ev.data;
    if (m.type === 'persist') vscodeApi.setState((m as unknown as { state: SavedWebviewState }).state);
    else handler(m as Exclude<T, { type: 'persist' }>);
  });
}

/** What the chart and side views draw: every host message but `persist`. */
export type Shown = Exclude<ToWebview, { type: 'persist' }>;

export function onMessage(handler: (m: Shown) => void): void {
  onMessageOf(isToWebview, (m) => { reviveOpenBands(m); handler(m); });
}

type Attrs = Record<string, string | number | boolean | undefined>;

/** Create an element with attributes and text children only. */
export function el<K extends keyof HTMLElementTagNameMap>(tag: K, attrs: Attrs = {}, ...children: (Node | string | undefined | false)[]): HTMLElementTagNameMap[K] {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === false) continue;
    if (k === 'class') e.className = String(v);
    else if (k === 'text') e.textContent = String(v);
    else e.setAttribute(k, v === true ? '' : String(v));
  }
  for (const c of children) {
    if (c === undefined || c === false) continue;
    e.append(typeof c === 'string' ? document.createTextNode(c) : c);
  }
  return e;
}

/** Compact, readable numbers for display: 1.23e21, 2,143, 0.347. */
export function fmt(v: number | undefined, digits = 4): string {
  return v === undefined || Number.isNaN(v) ? '—' : formatNumber(v, digits, true);
}

export { axisName, bandText, drawnShare, formatCount as fmtCount, formatAt as atX, formatSignedPercent, lossAtLabel, plural, scheduleLine } from '../src/core/format';

/**
 * The name of the tokens-per-parameter marker, with the ratio it was drawn at: `Chinchilla-optimal D
 * (20·N)`, or `Reference D (25·N)` when scalingLens.tokensPerParam.reference is set to another ratio.
 */
export function markerName(m: { params: number; tokens: number; source: string }): string {
  const ratio = fmt(m.tokens / m.params, 3);
  return m.source.startsWith('Chinchilla') ? `Chinchilla-optimal D (${ratio}·N)` : `Reference D (${ratio}·N)`;
}

export interface Theme {
  fg: string;
  muted: string;
  grid: string;
  bg: string;
  series: string[];
  fit: string;
  extrapolation: string;
  band: string;
  marker: string;
  highContrast: boolean;
}

function cssVar(name: string, fallback: string): string {
  const v = getComputedStyle(document.body).getPropertyValue(name).trim();
  return v || fallback;
}

/** Colours from the active VS Code theme (light, dark, high contrast). */
export function theme(): Theme {
  const hc = document.body.classList.contains('vscode-high-contrast') || document.body.classList.contains('vscode-high-contrast-light');
  const fg = cssVar('--vscode-charts-foreground', cssVar('--vscode-foreground', '#888'));
  const blue = cssVar('--vscode-charts-blue', '#3794ff');
  const orange = cssVar('--vscode-charts-orange', '#d18616');
  const green = cssVar('--vscode-charts-green', '#89d185');
  const purple = cssVar('--vscode-charts-purple', '#b180d7');
  const red = cssVar('--vscode-charts-red', '#f14c4c');
  const yellow = cssVar('--vscode-charts-yellow', '#cca700');
  return {
    fg,
    muted: cssVar('--vscode-descriptionForeground', fg),
    grid: cssVar('--vscode-charts-lines', 'rgba(128,128,128,0.3)'),
    bg: cssVar('--vscode-editor-background', '#1e1e1e'),
    series: [blue, green, purple, yellow, red],
    fit: orange,
    extrapolation: orange,
    band: withAlpha(orange, hc ? 0.35 : 0.18),
    marker: red,
    highContrast: hc,
  };
}

/** A colour with an alpha, from #rgb/#rrggbb or rgb()/rgba(). */
export function withAlpha(color: string, a: number): string {
  const c = color.trim();
  if (c.startsWith('#')) {
    const h = c.length === 4 ? c.slice(1).split('').map((x) => x + x).join('') : c.slice(1, 7);
    const n = parseInt(h, 16);
    return `rgba(${(n >> 16) & 255}, ${(n >> 8) & 255}, ${n & 255}, ${a})`;
  }
  const m = c.match(/rgba?\(([^)]+)\)/);
  if (m) {
    const [r, g, b] = m[1].split(',').map((x) => x.trim());
    return `rgba(${r}, ${g}, ${b}, ${a})`;
  }
  return c;
}

/** Re-run `cb` when the VS Code theme changes (the body's class list changes). */
export function onThemeChange(cb: () => void): void {
  new MutationObserver(cb).observe(document.body, { attributes: true, attributeFilter: ['class'] });
}

/** Whether a canvas has any painted pixel (what the tests and the host are told). */
export function canvasPainted(canvas: HTMLCanvasElement): boolean {
  const ctx = canvas.getContext('2d');
  if (!ctx || canvas.width === 0 || canvas.height === 0) return false;
  const data = ctx.getImageData(0, 0, canvas.width, canvas.height).data;
  for (let i = 3; i < data.length; i += 16) if (data[i] !== 0) return true;
  return false;
}

/** A Chart.js plugin painting the theme's background, so an exported PNG looks like the panel. */
export const themeBackground: Plugin = {
  id: 'slBackground',
  beforeDraw(chart) {
    const { ctx, width, height } = chart;
    ctx.save();
    ctx.globalCompositeOperation = 'destination-over';
    ctx.fillStyle = theme().bg;
    ctx.fillRect(0, 0, width, height);
    ctx.restore();
  },
};

/**
 * A note over a chart with nothing to draw (a loss NaN in every row: the axes alone would read as an
 * empty run), or none: replaces the one a previous draw left.
 */
export function emptyNote(canvas: HTMLCanvasElement, empty: boolean): void {
  const wrap = canvas.parentElement;
  if (!wrap) return;
  wrap.querySelector('.sl-chart-empty')?.remove();
  if (empty) wrap.append(el('p', { class: 'sl-chart-empty' }, el('span', { text: 'Nothing to draw: no finite value to plot' })));
}
