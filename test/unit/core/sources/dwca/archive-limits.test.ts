// Darwin Core Archive inputs that would hang or exhaust memory are refused with a clear reason, fast.
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { zipSync } from 'fflate';
import { afterAll, describe, expect, it } from 'vitest';
import { openArchive } from '../../../../../src-main/core/sources/dwca/archive-files';
import { readMediaRecords } from '../../../../../src-main/core/sources/dwca/media-records';
import { parseMetaXml } from '../../../../../src-main/core/sources/dwca/meta-xml';
import { makeTempDir } from '../../../../fixtures/temp-library';

const tmp = makeTempDir('sporeprint-dwca-limits-');
afterAll(() => tmp.cleanup());

const meta = (attrs: string) => `<archive xmlns="http://rs.tdwg.org/dwc/text/">
  <core ${attrs} rowType="http://rs.tdwg.org/dwc/terms/Occurrence"><files><location>occurrence.txt</location></files><id index="0"/>
  <field index="0" term="http://rs.tdwg.org/dwc/terms/occurrenceID"/></core></archive>`;

describe('meta.xml validation', () => {
  it('refuses empty field and line separators (an endless loop and an unbounded line before)', () => {
    expect(() => parseMetaXml(meta('fieldsTerminatedBy=""'), 'a/meta.xml')).toThrow(/core has an empty fieldsTerminatedBy/);
    expect(() => parseMetaXml(meta('linesTerminatedBy=""'), 'a/meta.xml')).toThrow(/core has an empty linesTerminatedBy/);
    expect(() => parseMetaXml(meta('fieldsTerminatedBy="\\n"'), 'a/meta.xml')).toThrow(/one separator for fields and lines/);
    // Attributes left out take the spec's defaults; fieldsEnclosedBy="" (no quoting) is fine.
    expect(parseMetaXml(meta('fieldsEnclosedBy=""'), 'a/meta.xml').core).toMatchObject({
      fieldsTerminatedBy: ',',
      linesTerminatedBy: '\n',
    });
  });
});

describe('zip limits', () => {
  it('refuses a zip bomb from its directory, before inflating it', async () => {
    // 16 MB of zeros deflate to ~16 KB: a 1000x member, made here rather than committed.
    const bomb = path.join(tmp.dir, 'bomb.zip');
    writeFileSync(
      bomb,
      zipSync({ 'meta.xml': new TextEncoder().encode(meta('')), 'occurrence.txt': new Uint8Array(16 * 1024 * 1024) }, { level: 6 }),
    );
    const started = Date.now();
    await expect(openArchive(bomb)).rejects.toThrow(/zip member occurrence.txt expands \d+x .* over the 200x limit: refused as a zip bomb/);
    expect(Date.now() - started).toBeLessThan(20_000);
  }, 60_000);

  it('refuses a zip whose members add up to more than the total limit, and a member over the member limit', async () => {
    const file = path.join(tmp.dir, 'big.zip');
    const member = new Uint8Array(3 * 1024 * 1024).map((_, i) => (i * 7919) % 251);
    writeFileSync(file, zipSync({ 'a.bin': member, 'b.bin': member }, { level: 0 }));
    await expect(openArchive(file, { maxExpandedBytes: 5 * 1024 * 1024, maxMemberBytes: 1e9, maxExpansionRatio: 200 })).rejects.toThrow(
      /zip expands to 6291456 bytes in all, over the 5242880 byte limit/,
    );
    // The member limit bounds what is read whole into memory; a table over it is streamed instead.
    const archive = await openArchive(file, { maxExpandedBytes: 1e9, maxMemberBytes: 2 * 1024 * 1024, maxExpansionRatio: 200 });
    await expect(archive.read('a.bin')).rejects.toThrow(/zip member a.bin expands to 3145728 bytes, over the 2097152 byte limit/);
    let streamed = 0;
    for await (const chunk of (await archive.stream('a.bin'))!) streamed += (chunk as Buffer).length;
    expect(streamed).toBe(3 * 1024 * 1024);
  });

  it('refuses a member that inflates past the size its directory entry states (a lying directory)', async () => {
    const file = path.join(tmp.dir, 'liar.zip');
    const zip = Buffer.from(
      zipSync({ 'meta.xml': new TextEncoder().encode(meta('')), 'occurrence.txt': new Uint8Array(4096) }, { level: 6 }),
    );
    // The last central directory entry is occurrence.txt's: its uncompressed size (offset 24) becomes 100 bytes.
    const entry = zip.lastIndexOf(Buffer.from('PK\x01\x02', 'latin1'));
    expect(zip.toString('utf8', entry + 46, entry + 46 + 14)).toBe('occurrence.txt');
    zip.writeUInt32LE(100, entry + 24);
    writeFileSync(file, zip);
    const archive = await openArchive(file);
    await expect(archive.read('occurrence.txt')).rejects.toThrow(
      /liar.zip: zip member occurrence.txt inflates past the 100 bytes its directory entry states/,
    );
  });

  it('reads an ordinary zip member by member', async () => {
    const file = path.join(tmp.dir, 'ok.zip');
    const enc = new TextEncoder();
    writeFileSync(
      file,
      zipSync({
        'meta.xml': enc.encode(meta('fieldsTerminatedBy="\\t" ignoreHeaderLines="1"')),
        'occurrence.txt': enc.encode('occurrenceID\no1\no2\n'),
      }),
    );
    const archive = await openArchive(file);
    expect((await archive.read('occurrence.txt'))?.toString()).toBe('occurrenceID\no1\no2\n');
    expect(await archive.read('missing.txt')).toBeNull();
    expect((await readMediaRecords(archive)).occurrences).toBe(2);
  });
});

describe('paths that are not regular files', () => {
  it('refuses /dev/zero and a FIFO as an archive instead of reading forever', async () => {
    await expect(openArchive('/dev/zero')).rejects.toThrow(/\/dev\/zero: not a regular file or folder \(a character device\)/);
    const fifo = path.join(tmp.dir, 'pipe.zip');
    execFileSync('mkfifo', [fifo]);
    await expect(openArchive(fifo)).rejects.toThrow(/not a regular file or folder \(a FIFO \(named pipe\)\)/);
  });
});
