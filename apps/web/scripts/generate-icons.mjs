// Draws the app icon (the same picture as public/icons/icon.svg: a woven grid)
// into PNG files with no dependency: shapes are signed-distance functions,
// antialiased over one pixel, encoded with node:zlib. Run once; the PNGs are checked in.
import { writeFileSync } from 'node:fs';
import { deflateSync } from 'node:zlib';

const INDIGO = [79, 70, 229];
const PALE = [199, 210, 254];
const WHITE = [255, 255, 255];

function roundedRectDistance(x, y, size, radius) {
  const half = size / 2;
  const qx = Math.abs(x - half) - (half - radius);
  const qy = Math.abs(y - half) - (half - radius);
  return Math.hypot(Math.max(qx, 0), Math.max(qy, 0)) + Math.min(Math.max(qx, qy), 0) - radius;
}

function segmentDistance(px, py, ax, ay, bx, by) {
  const t = Math.max(0, Math.min(1, ((px - ax) * (bx - ax) + (py - ay) * (by - ay)) / ((bx - ax) ** 2 + (by - ay) ** 2)));
  return Math.hypot(px - (ax + t * (bx - ax)), py - (ay + t * (by - ay)));
}

/** Shapes in the 64-unit space of the SVG, painted in order. */
const SHAPES = [
  ...[20, 32, 44].map((y) => ({ color: PALE, distance: (x, py) => segmentDistance(x, py, 14, y, 50, y) - 2 })),
  ...[22, 42].map((x) => ({ color: WHITE, distance: (px, y) => segmentDistance(px, y, x, 14, x, 50) - 2.5 })),
  ...[22, 42].map((cx) => ({ color: WHITE, distance: (x, y) => Math.hypot(x - cx, y - 32) - 5 })),
];

function drawIcon(size, { isMaskable }) {
  const pixels = Buffer.alloc(size * size * 4);
  // A maskable icon fills the square and keeps the picture inside the 80 % safe zone.
  const scale = isMaskable ? 64 / (size * 0.8) : 64 / size;
  const offset = isMaskable ? (64 - 64 / 0.8) / 2 : 0;
  for (let row = 0; row < size; row++) {
    for (let column = 0; column < size; column++) {
      const x = (column + 0.5) * scale + offset;
      const y = (row + 0.5) * scale + offset;
      const background = isMaskable ? 1 : Math.max(0, Math.min(1, 0.5 - roundedRectDistance(x, y, 64, 14) / scale));
      let color = INDIGO;
      for (const shape of SHAPES) {
        const coverage = Math.max(0, Math.min(1, 0.5 - shape.distance(x, y) / scale));
        color = color.map((channel, index) => channel + (shape.color[index] - channel) * coverage);
      }
      const at = (row * size + column) * 4;
      pixels[at] = Math.round(color[0]);
      pixels[at + 1] = Math.round(color[1]);
      pixels[at + 2] = Math.round(color[2]);
      pixels[at + 3] = Math.round(background * 255);
    }
  }
  return encodePng(size, pixels);
}

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(buffer) {
  let crc = 0xffffffff;
  for (const byte of buffer) crc = CRC_TABLE[(crc ^ byte) & 0xff] ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}

function chunk(type, data) {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([length, body, crc]);
}

/** PNG (RFC 2083): 8-bit RGBA, filter 0 on every row. */
function encodePng(size, pixels) {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(size, 0);
  header.writeUInt32BE(size, 4);
  header.set([8, 6, 0, 0, 0], 8);
  const rows = Buffer.alloc(size * (size * 4 + 1));
  for (let row = 0; row < size; row++) pixels.copy(rows, row * (size * 4 + 1) + 1, row * size * 4, (row + 1) * size * 4);
  const signature = Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]);
  return Buffer.concat([signature, chunk('IHDR', header), chunk('IDAT', deflateSync(rows, { level: 9 })), chunk('IEND', Buffer.alloc(0))]);
}

const outDir = new URL('../public/icons/', import.meta.url);
writeFileSync(new URL('icon-192.png', outDir), drawIcon(192, { isMaskable: false }));
writeFileSync(new URL('icon-512.png', outDir), drawIcon(512, { isMaskable: false }));
writeFileSync(new URL('icon-maskable-512.png', outDir), drawIcon(512, { isMaskable: true }));
console.log('wrote icon-192.png, icon-512.png, icon-maskable-512.png');
