// A new user's own photos through the CLI (issue 15): no sidecars, so the export says why it is empty and how
// to fix it; `license set <folder>` then `export` gives a licensed, attributed set; history and undo show and
// reverse each change; ingest --license leaves a sidecar's licence alone; label undo stops at the folder's claim.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { makePhoto } from '../../fixtures/synthetic-photos';
import { makeTempDir } from '../../fixtures/temp-library';
import { captureCliText } from '../../fixtures/capture-cli';

let tmp: { dir: string; cleanup: () => void };
let library: string;
let fungi: string;
const amanita = () => path.join(fungi, 'Amanita muscaria');

const cli = (...args: string[]) => captureCliText(['--library', library, ...args]);

beforeAll(async () => {
  tmp = makeTempDir('sporeprint-own-photos-');
  library = path.join(tmp.dir, 'library');
  fungi = path.join(tmp.dir, 'Fungi');
  let seed = 70;
  for (const taxon of ['Amanita muscaria', 'Boletus edulis']) {
    mkdirSync(path.join(fungi, taxon), { recursive: true });
    for (let i = 0; i < 3; i++) writeFileSync(path.join(fungi, taxon, `p${i}.jpg`), await makePhoto(seed++, { width: 400, height: 300 }));
  }
  expect((await cli('ingest', fungi)).code).toBe(0);
}, 120_000);

afterAll(() => tmp?.cleanup());

describe('your own photos through the CLI', () => {
  it('an export of photos without licences is empty and says why and what to do, in the default view too', async () => {
    const general = await cli('export', path.join(tmp.dir, 'out-none'), '--view', 'training_general');
    expect(general.code).toBe(0);
    expect(general.out).toMatch(/exported 0 images/);
    expect(general.out).toMatch(
      /nothing exported: .*6 photo\(s\) have no licence: set one with `sporeprint license set <folder> --license CC-BY-4.0 --attribution "Your Name"`/,
    );
    expect(general.out).toMatch(/license unknown: 6/);
    const datasheet = readFileSync(path.join(tmp.dir, 'out-none', 'README.md'), 'utf8');
    expect(datasheet).toMatch(/\| license unknown \| 6 \| 6 photo\(s\) have no licence: set one with/);
    expect(datasheet).toMatch(/\*\*Nothing was exported\*\*: nothing to export from 6 catalogued photo\(s\)/);
    const verified = await cli('export', path.join(tmp.dir, 'out-default'));
    expect(verified.out).toMatch(/6 are labelled but not human-verified.*--view training_general/);
    // The licence is the next thing in the way: said now, not after the user has fixed the first.
    expect(verified.out).toMatch(/6 catalogued photo\(s\) have no licence: set one with `sporeprint license set/);
  }, 60_000);

  it('license set on a folder, then export: every photo licensed and credited', async () => {
    const set = await cli('license', 'set', fungi, '--license', 'CC BY 4.0', '--attribution', 'Ann Smith', '--author', 'ann');
    expect(set.code).toBe(0);
    expect(set.out).toMatch(/^CC-BY-4\.0, credit Ann Smith: 6 of 6 image\(s\) changed/);
    const out = path.join(tmp.dir, 'out-licensed');
    const exported = await cli('export', out, '--view', 'training_general');
    expect(exported.code).toBe(0);
    expect(exported.out).toMatch(/exported 6 images/);
    expect(exported.out).toMatch(/left out: nothing/);
    const credits = readFileSync(path.join(out, 'ATTRIBUTION.csv'), 'utf8').trim().split('\n').slice(1);
    expect(credits).toHaveLength(6);
    for (const line of credits) expect(line).toMatch(/Ann Smith.*CC-BY-4\.0/);
    expect(readFileSync(path.join(out, 'README.md'), 'utf8')).toMatch(
      /### Left out \(6 images catalogued\)\s+Nothing: every catalogued image is in this export/,
    );
  }, 60_000);

  it('history shows each licence change with author and time, and license undo on the folder reverses it', async () => {
    const photo = path.join(amanita(), 'p0.jpg');
    await cli('license', 'set', amanita(), '--license', 'CC0', '--author', 'bob');
    const history = await cli('history', photo);
    expect(history.code).toBe(0);
    expect(history.out).toMatch(/claim .*Amanita muscaria.*\[source=folder:Amanita muscaria\]/);
    expect(history.out).toMatch(/licence now: CC0-1\.0, credit Ann Smith/);
    expect(history.out).toMatch(/\d{4}-\d\d-\d\dT\S+ +licence set +no licence -> CC-BY-4\.0 \(Ann Smith\) by ann/);
    expect(history.out).toMatch(/licence set +CC-BY-4\.0 \(Ann Smith\) -> CC0-1\.0 \(Ann Smith\) by bob/);
    const undo = await cli('license', 'undo', amanita());
    expect(undo.code).toBe(0);
    expect(undo.out).toMatch(/undid the last licence change of 3 image\(s\)/);
    expect(undo.out).toMatch(/restored: CC-BY-4\.0, credit Ann Smith/);
    expect((await cli('license', 'history', photo)).out).toMatch(/licence undo +CC0-1\.0 \(Ann Smith\) -> CC-BY-4\.0 \(Ann Smith\)/);
  }, 60_000);

  it('a typo in a licence or a path is an error naming it, and changes nothing', async () => {
    // A typo of NC: read as plain CC-BY it would let the photos into exports their licence may forbid.
    const bad = await cli('license', 'set', fungi, '--license', 'CC-BY-MC-4.0', '--attribution', 'X');
    expect(bad.code).toBe(1);
    expect(bad.err).toMatch(/"CC-BY-MC-4\.0" is not a licence Sporeprint knows; use an id such as CC0-1\.0/);
    const nowhere = await cli('license', 'set', path.join(tmp.dir, 'elsewhere'), '--license', 'CC0');
    expect(nowhere.code).toBe(1);
    expect(nowhere.err).toMatch(/elsewhere/);
    expect((await cli('history', path.join(amanita(), 'p1.jpg'))).out).toMatch(/licence now: CC-BY-4\.0, credit Ann Smith/);
  }, 60_000);

  it('ingest --license licenses new photos without one and leaves a sidecar licence alone', async () => {
    const extra = path.join(fungi, 'Cantharellus cibarius');
    mkdirSync(extra);
    writeFileSync(path.join(extra, 'own.jpg'), await makePhoto(90, { width: 400, height: 300 }));
    writeFileSync(path.join(extra, 'given.jpg'), await makePhoto(91, { width: 400, height: 300 }));
    writeFileSync(path.join(extra, 'meta.csv'), 'file,license,photographer\ngiven.jpg,CC BY-NC 4.0,Nina\n');
    const ingest = await cli('ingest', extra, '--license', 'CC-BY-SA-4.0', '--attribution', 'Ann Smith');
    expect(ingest.code).toBe(0);
    expect(ingest.out).toMatch(/1 image\(s\) without a licence took --license/);
    expect((await cli('history', path.join(extra, 'own.jpg'))).out).toMatch(/licence now: CC-BY-SA-4\.0, credit Ann Smith/);
    expect((await cli('history', path.join(extra, 'given.jpg'))).out).toMatch(/licence now: CC-BY-NC-4\.0, credit Nina/);
  }, 60_000);

  it('the "my photos" default is stored once and applied only where asked (--mine)', async () => {
    expect((await cli('license', 'default')).out).toBe('no "my photos" default set');
    const missing = await cli('license', 'set', amanita(), '--mine');
    expect(missing.code).toBe(1);
    expect(missing.err).toMatch(/no "my photos" default is set: set one with `sporeprint license default/);
    const saved = await cli('license', 'default', '--license', 'cc-by-sa', '--attribution', 'Ann Smith');
    expect(saved.out).toMatch(/^my photos: CC-BY-SA, credit Ann Smith/);
    expect((await cli('history', path.join(amanita(), 'p0.jpg'))).out).toMatch(/licence now: CC-BY-4\.0, credit Ann Smith/);
    const mine = await cli('license', 'set', path.join(amanita(), 'p0.jpg'), '--mine');
    expect(mine.out).toMatch(/^CC-BY-SA, credit Ann Smith: 1 of 1 image\(s\) changed/);
  }, 60_000);

  it('label --undo returns to the folder claim and never below it', async () => {
    const photo = path.join(amanita(), 'p2.jpg');
    expect((await cli('label', photo, '--state', 'human_verified', '--taxon', 'Amanita pantherina')).code).toBe(0);
    const first = await cli('label', photo, '--undo');
    expect(first.out).toMatch(/restored: Amanita muscaria \(species\) source_claimed/);
    const second = await cli('label', photo, '--undo');
    expect(second.code).toBe(1);
    expect(second.err).toMatch(/back at its source claim \(folder:Amanita muscaria\); undo never goes below the claim/);
    expect((await cli('history', photo)).out).toMatch(/claim .*\[source=folder:Amanita muscaria\]/);
  }, 60_000);
});
