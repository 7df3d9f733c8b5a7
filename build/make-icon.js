#!/usr/bin/env node
'use strict';
/**
 * Writes build/icon.png (512×512 RGBA): a field notebook — a green rounded square holding a
 * white page with ruled lines and a leaf-green spine. Pure Node (zlib), no image libraries, so
 * anyone can regenerate it; the PNG itself is committed and electron-builder derives the macOS
 * .icns and Windows .ico from it. Run: `node build/make-icon.js`.
 */
const fs = require('node:fs');
const path = require('node:path');
const zlib = require('node:zlib');

const SIZE = 512;
const SAMPLES = 4; // supersampling per axis, for smooth edges

const BACKGROUND = [46, 125, 50];
const PAGE = [250, 248, 240];
const SPINE = [27, 94, 32];
const RULE = [144, 164, 174];
const LEAF = [102, 187, 106];

/** Inside a rounded rectangle [x0,x1]×[y0,y1] with corner radius r. */
function inRoundedRect(x, y, x0, y0, x1, y1, r) {
  if (x < x0 || x > x1 || y < y0 || y > y1) return false;
  const cx = Math.min(Math.max(x, x0 + r), x1 - r);
  const cy = Math.min(Math.max(y, y0 + r), y1 - r);
  return (x - cx) ** 2 + (y - cy) ** 2 <= r * r;
}

/** Inside a leaf: the lens between two circles, tilted 45°, centred on (cx, cy). */
function inLeaf(x, y, cx, cy, length) {
  const u = (x - cx + (y - cy)) / Math.SQRT2;
  const v = (x - cx - (y - cy)) / Math.SQRT2;
  const half = length / 2;
  const radius = (half * half + (half * 0.45) ** 2) / (2 * half * 0.45);
  const offset = radius - half * 0.45;
  return u * u + (v - offset) ** 2 <= radius * radius && u * u + (v + offset) ** 2 <= radius * radius;
}

/** The colour at a point of the 512×512 canvas, or null for transparent. */
function colourAt(x, y) {
  if (!inRoundedRect(x, y, 16, 16, 496, 496, 96)) return null;
  if (inLeaf(x, y, 330, 330, 150)) return LEAF;
  if (inRoundedRect(x, y, 112, 80, 400, 432, 20)) {
    if (x < 160) return SPINE;
    if (x > 190 && x < 370 && [160, 216, 272].some((line) => Math.abs(y - line) <= 5)) return RULE;
    return PAGE;
  }
  return BACKGROUND;
}

function pixels() {
  const rows = Buffer.alloc(SIZE * (1 + SIZE * 4));
  for (let y = 0; y < SIZE; y++) {
    const row = y * (1 + SIZE * 4);
    rows[row] = 0; // filter: none
    for (let x = 0; x < SIZE; x++) {
      const sum = [0, 0, 0, 0];
      for (let sy = 0; sy < SAMPLES; sy++) {
        for (let sx = 0; sx < SAMPLES; sx++) {
          const colour = colourAt(x + (sx + 0.5) / SAMPLES, y + (sy + 0.5) / SAMPLES);
          if (!colour) continue;
          sum[0] += colour[0];
          sum[1] += colour[1];
          sum[2] += colour[2];
          sum[3] += 255;
        }
      }
      const covered = sum[3] / 255;
      const at = row + 1 + x * 4;
      rows[at] = covered ? Math.round(sum[0] / covered) : 0;
      rows[at + 1] = covered ? Math.round(sum[1] / covered) : 0;
      rows[at + 2] = covered ? Math.round(sum[2] / covered) : 0;
      rows[at + 3] = Math.round(sum[3] / (SAMPLES * SAMPLES));
    }
  }
  return rows;
}

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(buffer) {
  let c = 0xffffffff;
  for (const byte of buffer) c = CRC_TABLE[(c ^ byte) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type, data) {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([length, body, crc]);
}

function png() {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(SIZE, 0);
  header.writeUInt32BE(SIZE, 4);
  header[8] = 8; // bit depth
  header[9] = 6; // colour type: RGBA
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', zlib.deflateSync(pixels(), { level: 9 })),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

const out = path.join(__dirname, 'icon.png');
fs.writeFileSync(out, png());
console.log(`wrote ${path.relative(process.cwd(), out)} (${SIZE}×${SIZE})`);
