// Walks the Huffman-coded data of a baseline JPEG block by block, without the pixel maths, to find the damage
// libjpeg decodes silently: a flipped bit makes the decoder lose step with the data (Huffman codes resynchronise,
// so it never sees an invalid code), and the proof is only at the end: data left over after the last block, a
// restart marker in the wrong place, a coefficient index past 63. libjpeg reports the leftover as "extraneous
// bytes" only when finishing, which libvips does not surface; this check sees it.

export interface JpegEntropyFault {
  /** What is inconsistent, in words for the rejection reason. */
  reason: string;
}

interface HuffmanTable {
  /** For each code length 1..16: the largest code of that length (-1 when none), and the index of its first symbol. */
  maxCode: Int32Array;
  valOffset: Int32Array;
  symbols: Uint8Array;
  /** FAST_BITS lookahead: (length << 8) | symbol, or 0 when the code is longer than FAST_BITS bits. */
  fast: Uint16Array;
}

/** Codes up to this long (nearly every code of a photo) are found with one table look-up. */
const FAST_BITS = 10;
const FAST_MASK = (1 << FAST_BITS) - 1;

interface Component {
  id: number;
  h: number;
  v: number;
  dcTable: number;
  acTable: number;
  /** DC predictor lives in the decoder; here only the table choices and block layout matter. */
}

class Fault extends Error {}

function buildTable(counts: Uint8Array, symbols: Uint8Array): HuffmanTable {
  const maxCode = new Int32Array(18).fill(-1);
  const valOffset = new Int32Array(18);
  const fast = new Uint16Array(1 << FAST_BITS);
  let code = 0;
  let k = 0;
  for (let len = 1; len <= 16; len++) {
    valOffset[len] = k - code;
    const n = counts[len - 1]!;
    for (let i = 0; i < n; i++, k++, code++) {
      if (len <= FAST_BITS) {
        // Every FAST_BITS-bit pattern that starts with this code.
        const shift = FAST_BITS - len;
        for (let fill = 0; fill < 1 << shift; fill++) fast[(code << shift) | fill] = (len << 8) | symbols[k]!;
      }
    }
    if (n) maxCode[len] = code - 1;
    code <<= 1;
  }
  maxCode[17] = 0x7fffffff;
  return { maxCode, valOffset, symbols, fast };
}

/** Reads entropy-coded bits, unstuffing 0xFF00 and stopping at the first marker. */
class BitReader {
  acc = 0;
  bits = 0;
  /** Bits taken past the marker that ends the data (libjpeg feeds zeros there: a premature end). */
  overrun = 0;
  constructor(
    readonly data: Uint8Array,
    public pos: number,
  ) {}

  private fill(): void {
    const data = this.data;
    while (this.bits <= 24) {
      let byte = 0;
      const pos = this.pos;
      if (pos < data.length) {
        byte = data[pos]!;
        if (byte !== 0xff) this.pos = pos + 1;
        // A stuffed 0xFF00 is one data byte; any other 0xFF starts a marker, which ends the data (as atMarker says).
        else if (data[pos + 1] === 0x00) this.pos = pos + 2;
        else {
          byte = 0;
          this.overrun += 8;
        }
      } else this.overrun += 8;
      this.acc = ((this.acc << 8) | byte) >>> 0;
      this.bits += 8;
    }
  }

  /** The code of the marker the reader stands on, or -1 when it stands on data. */
  markerCode(): number {
    return this.atMarker() ? this.data[this.pos + 1]! : -1;
  }

  /** Whether decoding used bits beyond the data (zeros fed after the marker). */
  pastEnd(): boolean {
    return this.overrun > this.bits;
  }

  atMarker(): boolean {
    return this.data[this.pos] === 0xff && this.data[this.pos + 1] !== 0x00;
  }

  take(n: number): number {
    if (n === 0) return 0;
    if (this.bits < n) this.fill();
    this.bits -= n;
    return (this.acc >>> this.bits) & ((1 << n) - 1);
  }

  /** A code longer than the look-up covers, bit by bit. */
  decodeLong(table: HuffmanTable): number {
    let code = 0;
    for (let len = 1; len <= 16; len++) {
      code = (code << 1) | this.take(1);
      if (code <= table.maxCode[len]!) return table.symbols[table.valOffset[len]! + code]!;
    }
    throw new Fault('a Huffman code matches no table entry');
  }

  /**
   * Drops the rest of the current byte and returns how many whole data bytes were read ahead but never used:
   * after the last block of an interval, any is data the decoder skipped, that is, it lost step.
   */
  align(): number {
    const unusedBits = Math.max(0, this.bits - this.overrun);
    this.acc = 0;
    this.bits = 0;
    this.overrun = 0;
    return Math.floor(unusedBits / 8);
  }

  /** Data bytes from here to the next marker (stuffed 0xFF00 counting as one). */
  bytesBeforeMarker(): number {
    let n = 0;
    while (this.pos < this.data.length && !this.atMarker()) {
      this.pos += this.data[this.pos] === 0xff ? 2 : 1;
      n++;
    }
    return n;
  }
}

/**
 * Checks every scan of a baseline or extended-sequential Huffman JPEG. Returns the first inconsistency, or null
 * when the data is consistent or the file is of a kind not checked here (progressive, arithmetic, lossless).
 */
export function checkJpegEntropy(data: Uint8Array): JpegEntropyFault | null {
  try {
    return walk(data);
  } catch (err) {
    if (err instanceof Fault) return { reason: err.message };
    throw err;
  }
}

function walk(data: Uint8Array): JpegEntropyFault | null {
  if (data[0] !== 0xff || data[1] !== 0xd8) return null;
  const dc: (HuffmanTable | undefined)[] = [];
  const ac: (HuffmanTable | undefined)[] = [];
  let components: Component[] = [];
  let width = 0;
  let height = 0;
  let restartInterval = 0;
  let pos = 2;
  for (;;) {
    // Fill bytes (0xFF) may precede a marker.
    while (data[pos] === 0xff && data[pos + 1] === 0xff) pos++;
    if (pos + 4 > data.length || data[pos] !== 0xff) return null;
    const marker = data[pos + 1]!;
    if (marker === 0xd9) return null;
    // Restart markers stand alone (no length); one after the last MCU is harmless.
    if (marker >= 0xd0 && marker <= 0xd7) {
      pos += 2;
      continue;
    }
    const length = (data[pos + 2]! << 8) | data[pos + 3]!;
    const body = data.subarray(pos + 4, pos + 2 + length);
    if (body.length !== length - 2) return null;
    if (marker === 0xc0 || marker === 0xc1) {
      // 12-bit samples allow other code sizes: only the common 8-bit kind is walked.
      if (body[0] !== 8) return null;
      height = (body[1]! << 8) | body[2]!;
      width = (body[3]! << 8) | body[4]!;
      components = Array.from({ length: body[5]! }, (_, i) => ({
        id: body[6 + i * 3]!,
        h: body[7 + i * 3]! >> 4,
        v: body[7 + i * 3]! & 15,
        dcTable: 0,
        acTable: 0,
      }));
      if (!width || !height || components.some((c) => c.h < 1 || c.v < 1 || c.h > 4 || c.v > 4)) return null;
    } else if (marker >= 0xc2 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc) {
      // Progressive, lossless or arithmetic-coded: not walked here (libvips alone judges those).
      return null;
    } else if (marker === 0xc4) {
      for (let at = 0; at + 17 <= body.length;) {
        const kind = body[at]! >> 4;
        const slot = body[at]! & 15;
        const counts = body.subarray(at + 1, at + 17);
        const total = counts.reduce((a, b) => a + b, 0);
        const table = buildTable(counts, body.slice(at + 17, at + 17 + total));
        (kind === 0 ? dc : ac)[slot] = table;
        at += 17 + total;
      }
    } else if (marker === 0xdd) {
      restartInterval = (body[0]! << 8) | body[1]!;
    } else if (marker === 0xda) {
      if (!components.length) return null;
      const inScan: Component[] = [];
      for (let i = 0; i < body[0]!; i++) {
        const component = components.find((c) => c.id === body[1 + i * 2]);
        if (!component) return null;
        component.dcTable = body[2 + i * 2]! >> 4;
        component.acTable = body[2 + i * 2]! & 15;
        inScan.push(component);
      }
      const reader = new BitReader(data, pos + 2 + length);
      walkScan(reader, inScan, components, width, height, restartInterval, dc, ac);
      pos = reader.pos;
      continue;
    }
    pos += 2 + length;
  }
}

function walkScan(
  reader: BitReader,
  inScan: Component[],
  all: Component[],
  width: number,
  height: number,
  restartInterval: number,
  dc: (HuffmanTable | undefined)[],
  ac: (HuffmanTable | undefined)[],
): void {
  const hMax = Math.max(...all.map((c) => c.h));
  const vMax = Math.max(...all.map((c) => c.v));
  // One component alone is coded block by block over its own extent; several are interleaved by MCU.
  const single = inScan.length === 1 ? inScan[0]! : null;
  const mcusX = single ? Math.ceil(Math.ceil((width * single.h) / hMax) / 8) : Math.ceil(width / (8 * hMax));
  const mcusY = single ? Math.ceil(Math.ceil((height * single.v) / vMax) / 8) : Math.ceil(height / (8 * vMax));
  const total = mcusX * mcusY;
  const blocks = inScan.flatMap((c) => {
    const dcTable = dc[c.dcTable];
    const acTable = ac[c.acTable];
    if (!dcTable || !acTable) throw new Fault(`a scan uses Huffman table ${dcTable ? c.acTable : c.dcTable}, which is not defined`);
    return Array.from({ length: single ? 1 : c.h * c.v }, () => ({ dcTable, acTable }));
  });
  let expectedRestart = 0;
  for (let mcu = 0; mcu < total; mcu++) {
    if (restartInterval && mcu > 0 && mcu % restartInterval === 0) {
      const skipped = reader.align() + reader.bytesBeforeMarker();
      if (skipped) throw new Fault(`${skipped} byte(s) of coded data left over before restart ${expectedRestart} (MCU ${mcu} of ${total})`);
      const found = reader.markerCode();
      if (found !== 0xd0 + expectedRestart)
        throw new Fault(
          `restart marker ${expectedRestart} missing at MCU ${mcu} of ${total}${found >= 0 ? ` (marker 0x${found.toString(16)} instead)` : ''}`,
        );
      reader.pos += 2;
      expectedRestart = (expectedRestart + 1) & 7;
    }
    walkBlocks(reader, blocks, mcu, total);
  }
  const left = reader.align() + reader.bytesBeforeMarker();
  if (left) throw new Fault(`${left} byte(s) of coded data left over after the last of ${total} MCUs`);
}

interface BlockTables {
  dcTable: HuffmanTable;
  acTable: HuffmanTable;
}

/**
 * The blocks of one MCU, the whole cost of the walk: the reader's state held in locals, each symbol found with one
 * look-up and its extra bits (a coefficient's value, never needed here) passed over with it.
 */
function walkBlocks(reader: BitReader, blocks: BlockTables[], mcu: number, total: number): void {
  const data = reader.data;
  let { acc, bits, pos, overrun } = reader;
  for (let b = 0; b < blocks.length; b++) {
    const block = blocks[b]!;
    let table = block.dcTable;
    // k = 0 is the DC difference, 1..63 the AC coefficients.
    for (let k = 0; k < 64; k++) {
      // More than 24 bits before each symbol: a code the look-up finds (<= FAST_BITS) and its extra bits (<= 15).
      while (bits <= 24) {
        let byte = 0;
        if (pos < data.length) {
          byte = data[pos]!;
          if (byte !== 0xff) pos++;
          // A stuffed 0xFF00 is one data byte; any other 0xFF starts a marker, which ends the data.
          else if (data[pos + 1] === 0x00) pos += 2;
          else {
            byte = 0;
            overrun += 8;
          }
        } else overrun += 8;
        acc = ((acc << 8) | byte) >>> 0;
        bits += 8;
      }
      const quick = table.fast[(acc >>> (bits - FAST_BITS)) & FAST_MASK]!;
      let symbol: number;
      if (quick) {
        symbol = quick & 0xff;
        bits -= (quick >> 8) + (symbol & 15);
      } else {
        // A longer code: the reader's own bit-by-bit path, which refills as it goes.
        Object.assign(reader, { acc, bits, pos, overrun });
        symbol = reader.decodeLong(table);
        reader.take(symbol & 15);
        ({ acc, bits, pos, overrun } = reader);
      }
      if (k === 0) {
        if (symbol > 11) throw new Fault(`a DC difference of ${symbol} bits (at most 11) in MCU ${mcu} of ${total}`);
        table = block.acTable;
        continue;
      }
      const run = symbol >> 4;
      if (symbol & 15) {
        k += run;
        if (k > 63) throw new Fault(`a coefficient index past 63 in MCU ${mcu} of ${total}`);
      } else if (run === 15) {
        k += 15;
        if (k > 63) throw new Fault(`a zero run past the end of a block in MCU ${mcu} of ${total}`);
      } else break;
    }
    if (overrun > bits) throw new Fault(`the coded data ends in MCU ${mcu} of ${total}`);
  }
  reader.acc = acc;
  reader.bits = bits;
  reader.pos = pos;
  reader.overrun = overrun;
}
