// Draws media/icon.png (128×128): a falling power-law curve with points, on a dark tile.
// Pure Node (zlib) so the icon can be regenerated without any image tool.
import { deflateSync } from 'node:zlib';
import { writeFileSync } from 'node:fs';

const S = 128;
const px = new Uint8Array(S * S * 4);
const set = (x, y, [r, g, b], a = 255) => {
  if (x < 0 || y < 0 || x >= S || y >= S) return;
  const i = (y * S + x) * 4;
  const t = a / 255;
  px[i] = px[i] * (1 - t) + r * t; px[i + 1] = px[i + 1] * (1 - t) + g * t; px[i + 2] = px[i + 2] * (1 - t) + b * t; px[i + 3] = 255;
};
for (let y = 0; y < S; y++) for (let x = 0; x < S; x++) {
  const r = 22, inCorner = (cx, cy) => (x - cx) ** 2 + (y - cy) ** 2 > r * r;
  const out = (x < r && y < r && inCorner(r, r)) || (x >= S - r && y < r && inCorner(S - r - 1, r)) ||
    (x < r && y >= S - r && inCorner(r, S - r - 1)) || (x >= S - r && y >= S - r && inCorner(S - r - 1, S - r - 1));
  if (!out) set(x, y, [30 + y * 0.2, 41 + y * 0.2, 69 + y * 0.3]);
}
const disc = (cx, cy, rad, col) => {
  for (let y = Math.floor(cy - rad - 1); y <= cy + rad + 1; y++) for (let x = Math.floor(cx - rad - 1); x <= cx + rad + 1; x++) {
    const d = Math.hypot(x - cx, y - cy);
    if (d < rad + 0.5) set(x, y, col, Math.round(255 * Math.min(1, rad + 0.5 - d)));
  }
};
// axes
for (let t = 24; t <= 106; t++) { disc(24, t, 1.6, [200, 210, 230]); disc(t, 106, 1.6, [200, 210, 230]); }
// curve L = E + B / x^beta
const curve = (u) => 34 + 60 * (1 - Math.pow(1 + 9 * u, -0.9));
for (let i = 0; i <= 400; i++) { const u = i / 400; disc(30 + u * 76, curve(u), 2.4, [255, 168, 76]); }
for (const u of [0.05, 0.17, 0.33, 0.52, 0.75, 0.95]) disc(30 + u * 76, curve(u) - 5 + (u * 37 % 7), 4, [110, 200, 255]);

const crcTable = Array.from({ length: 256 }, (_, n) => { let c = n; for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1; return c >>> 0; });
const crc = (buf) => { let c = 0xffffffff; for (const b of buf) c = crcTable[(c ^ b) & 255] ^ (c >>> 8); return (c ^ 0xffffffff) >>> 0; };
const chunk = (type, data) => {
  const len = Buffer.alloc(4); len.writeUInt32BE(data.length);
  const td = Buffer.concat([Buffer.from(type), data]);
  const c = Buffer.alloc(4); c.writeUInt32BE(crc(td));
  return Buffer.concat([len, td, c]);
};
const ihdr = Buffer.alloc(13); ihdr.writeUInt32BE(S, 0); ihdr.writeUInt32BE(S, 4); ihdr[8] = 8; ihdr[9] = 6;
const raw = Buffer.alloc(S * (S * 4 + 1));
for (let y = 0; y < S; y++) { raw[y * (S * 4 + 1)] = 0; Buffer.from(px.buffer, y * S * 4, S * 4).copy(raw, y * (S * 4 + 1) + 1); }
writeFileSync(new URL('../media/icon.png', import.meta.url), Buffer.concat([
  Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]), chunk('IHDR', ihdr), chunk('IDAT', deflateSync(raw)), chunk('IEND', Buffer.alloc(0)),
]));
