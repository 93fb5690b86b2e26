// Which Node each part of Sporeprint needs, and a numeric version comparison for the checks that say so.

/** The CLI, `serve` and the tests (package.json engines). */
export const NODE_FOR_CLI = '20.19';
/** electron 45, @electron/get and @electron/rebuild declare it: `npm run setup:desktop` and `npm run package`. */
export const NODE_FOR_DESKTOP = '22.12';
/** Every installed package's engines are met (jsdom asks 22.13+ on the 22 line), so `npm ci` prints no EBADENGINE. */
export const NODE_RECOMMENDED = '22.13';

/** True when `version` (e.g. v22.12.0) is at least `minimum` (e.g. 22.12). */
export function atLeast(version: string, minimum: string): boolean {
  const a = version.replace(/^v/, '').split('.').map(Number);
  const b = minimum.split('.').map(Number);
  for (let i = 0; i < 3; i++) {
    if ((a[i] ?? 0) !== (b[i] ?? 0)) return (a[i] ?? 0) > (b[i] ?? 0);
  }
  return true;
}
