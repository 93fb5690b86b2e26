// Draws synthetic, photo-like images with sharp (seeded): textured backgrounds, blobs, a "mushroom".
// Used by the demo command and by the test fixtures, so a fresh clone can demo and test itself.
import sharp, { type Sharp } from 'sharp';

/** Deterministic PRNG (mulberry32). */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** An SVG scene: gradient sky/ground, a "mushroom" (cap + stem) and random blobs, all from the seed. */
function sceneSvg(seed: number, width: number, height: number): string {
  const rnd = seededRandom(seed);
  const hue = () => Math.floor(rnd() * 360);
  const colour = () => `hsl(${hue()},${40 + Math.floor(rnd() * 50)}%,${25 + Math.floor(rnd() * 50)}%)`;
  const shapes: string[] = [];
  for (let i = 0; i < 40; i++) {
    const cx = rnd() * width;
    const cy = rnd() * height;
    const r = (0.02 + rnd() * 0.12) * Math.min(width, height);
    shapes.push(
      `<ellipse cx="${cx.toFixed(1)}" cy="${cy.toFixed(1)}" rx="${r.toFixed(1)}" ry="${(r * (0.4 + rnd())).toFixed(1)}" fill="${colour()}" opacity="${(0.3 + rnd() * 0.7).toFixed(2)}" transform="rotate(${Math.floor(rnd() * 180)} ${cx.toFixed(1)} ${cy.toFixed(1)})"/>`,
    );
  }
  const capX = width * (0.3 + rnd() * 0.4);
  const capY = height * (0.3 + rnd() * 0.3);
  const capR = Math.min(width, height) * (0.15 + rnd() * 0.15);
  shapes.push(
    `<rect x="${(capX - capR * 0.15).toFixed(1)}" y="${capY.toFixed(1)}" width="${(capR * 0.3).toFixed(1)}" height="${(capR * 1.6).toFixed(1)}" fill="${colour()}"/>`,
  );
  shapes.push(
    `<ellipse cx="${capX.toFixed(1)}" cy="${capY.toFixed(1)}" rx="${capR.toFixed(1)}" ry="${(capR * 0.55).toFixed(1)}" fill="${colour()}"/>`,
  );
  for (let i = 0; i < 12; i++)
    shapes.push(
      `<circle cx="${(capX + (rnd() - 0.5) * capR * 1.4).toFixed(1)}" cy="${(capY + (rnd() - 0.7) * capR * 0.6).toFixed(1)}" r="${(capR * 0.06).toFixed(1)}" fill="#fff" opacity="0.85"/>`,
    );
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}">
    <defs><linearGradient id="g" x1="0" y1="0" x2="${rnd().toFixed(2)}" y2="1"><stop offset="0" stop-color="${colour()}"/><stop offset="1" stop-color="${colour()}"/></linearGradient></defs>
    <rect width="100%" height="100%" fill="url(#g)"/>${shapes.join('')}</svg>`;
}

/** Fine random texture so that images have real high-frequency detail (like grass, bark, gills). */
function textureRaw(seed: number, width: number, height: number, amplitude: number): Buffer {
  const rnd = seededRandom(seed ^ 0x9e3779b9);
  const data = Buffer.alloc(width * height * 3);
  for (let i = 0; i < data.length; i++) data[i] = 128 + Math.round((rnd() - 0.5) * amplitude);
  return data;
}

export interface PhotoOptions {
  width?: number;
  height?: number;
  format?: 'jpeg' | 'png' | 'webp' | 'tiff' | 'gif';
  /** Amplitude of the fine texture (0 = smooth). */
  texture?: number;
}

/** A raw RGB rendition of the scene for `seed` (before encoding). */
export async function renderPhotoRaw(
  seed: number,
  width = 800,
  height = 600,
  texture = 40,
): Promise<{ data: Buffer; width: number; height: number; channels: 3 }> {
  const scene = await sharp(Buffer.from(sceneSvg(seed, width, height)))
    .removeAlpha()
    .raw()
    .toBuffer();
  const tex = textureRaw(seed, width, height, texture);
  // Texture is blended by overlay so it survives compression like real detail does.
  const blended = Buffer.alloc(scene.length);
  for (let i = 0; i < scene.length; i++) blended[i] = Math.max(0, Math.min(255, scene[i]! + tex[i]! - 128));
  return { data: blended, width, height, channels: 3 };
}

export async function makePhoto(seed: number, options: PhotoOptions = {}): Promise<Buffer> {
  const { width = 800, height = 600, format = 'jpeg', texture = 40 } = options;
  const raw = await renderPhotoRaw(seed, width, height, texture);
  return encode(sharp(raw.data, { raw: { width, height, channels: 3 } }), format);
}

export function encode(image: Sharp, format: NonNullable<PhotoOptions['format']>): Promise<Buffer> {
  switch (format) {
    case 'jpeg':
      return image.jpeg({ quality: 92 }).toBuffer();
    case 'png':
      return image.png().toBuffer();
    case 'webp':
      return image.webp({ quality: 90 }).toBuffer();
    case 'tiff':
      return image.tiff().toBuffer();
    case 'gif':
      return image.gif().toBuffer();
  }
}
