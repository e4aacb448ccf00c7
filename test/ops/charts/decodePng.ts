import { inflateSync } from 'node:zlib';

/** A decoded 8-bit PNG as RGBA pixels. */
export interface DecodedPng {
  readonly width: number;
  readonly height: number;
  /** width × height × 4 bytes, row-major RGBA. */
  readonly rgba: Uint8Array;
}

export const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/**
 * Minimal PNG decoder for tests: 8-bit RGB or RGBA, not interlaced (what resvg writes). Parses
 * the chunks, inflates IDAT and undoes the per-row filters, so tests can inspect the exact bytes
 * a renderer returned without a third-party decoder.
 */
export function decodePng(png: Buffer): DecodedPng {
  if (!png.subarray(0, 8).equals(PNG_SIGNATURE)) throw new Error('not a PNG (bad signature)');
  let offset = 8;
  let width = 0;
  let height = 0;
  let channels = 0;
  const idat: Buffer[] = [];
  while (offset < png.length) {
    const length = png.readUInt32BE(offset);
    const type = png.toString('ascii', offset + 4, offset + 8);
    const data = png.subarray(offset + 8, offset + 8 + length);
    if (type === 'IHDR') {
      width = data.readUInt32BE(0);
      height = data.readUInt32BE(4);
      const bitDepth = data[8];
      const colorType = data[9];
      const interlace = data[12];
      if (bitDepth !== 8 || interlace !== 0)
        throw new Error(`unsupported PNG: depth ${bitDepth}, interlace ${interlace}`);
      if (colorType === 6) channels = 4;
      else if (colorType === 2) channels = 3;
      else throw new Error(`unsupported PNG colour type ${colorType}`);
    } else if (type === 'IDAT') {
      idat.push(data);
    } else if (type === 'IEND') {
      break;
    }
    offset += 12 + length;
  }
  const raw = inflateSync(Buffer.concat(idat));
  const stride = width * channels;
  const out = new Uint8Array(width * height * 4);
  let prev = new Uint8Array(stride);
  for (let y = 0; y < height; y++) {
    const filter = raw[y * (stride + 1)];
    const line = raw.subarray(y * (stride + 1) + 1, (y + 1) * (stride + 1));
    const cur = new Uint8Array(stride);
    for (let i = 0; i < stride; i++) {
      const a = i >= channels ? cur[i - channels]! : 0;
      const b = prev[i]!;
      const c = i >= channels ? prev[i - channels]! : 0;
      const x = line[i]!;
      let v: number;
      switch (filter) {
        case 0:
          v = x;
          break;
        case 1:
          v = x + a;
          break;
        case 2:
          v = x + b;
          break;
        case 3:
          v = x + ((a + b) >> 1);
          break;
        case 4: {
          const p = a + b - c;
          const pa = Math.abs(p - a);
          const pb = Math.abs(p - b);
          const pc = Math.abs(p - c);
          v = x + (pa <= pb && pa <= pc ? a : pb <= pc ? b : c);
          break;
        }
        default:
          throw new Error(`bad PNG filter ${filter} on row ${y}`);
      }
      cur[i] = v & 0xff;
    }
    for (let px = 0; px < width; px++) {
      const o = (y * width + px) * 4;
      out[o] = cur[px * channels]!;
      out[o + 1] = cur[px * channels + 1]!;
      out[o + 2] = cur[px * channels + 2]!;
      out[o + 3] = channels === 4 ? cur[px * channels + 3]! : 255;
    }
    prev = cur;
  }
  return { width, height, rgba: out };
}

/** Parses `#rrggbb`. */
export function hexColor(hex: string): [number, number, number] {
  const n = Number.parseInt(hex.slice(1), 16);
  return [(n >> 16) & 0xff, (n >> 8) & 0xff, n & 0xff];
}

/** Counts pixels within `tolerance` (per channel) of `color`, optionally inside rows [y0, y1). */
export function countColor(
  img: DecodedPng,
  color: readonly [number, number, number],
  options: { tolerance?: number; y0?: number; y1?: number } = {},
): number {
  const tol = options.tolerance ?? 24;
  let n = 0;
  for (let y = options.y0 ?? 0; y < (options.y1 ?? img.height); y++) {
    for (let x = 0; x < img.width; x++) {
      const o = (y * img.width + x) * 4;
      if (
        Math.abs(img.rgba[o]! - color[0]) <= tol &&
        Math.abs(img.rgba[o + 1]! - color[1]) <= tol &&
        Math.abs(img.rgba[o + 2]! - color[2]) <= tol
      ) {
        n++;
      }
    }
  }
  return n;
}

/** Pixels that differ from `background` (exactly), optionally inside rows [y0, y1). */
export function inkPixels(
  img: DecodedPng,
  background: readonly [number, number, number],
  options: { y0?: number; y1?: number } = {},
): number {
  const rows = (options.y1 ?? img.height) - (options.y0 ?? 0);
  return rows * img.width - countColor(img, background, { ...options, tolerance: 0 });
}
