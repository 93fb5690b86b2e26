// How a benchmark that needs a service or a browser says it cannot run: "skipped: <why>" on stdout, exit 0, or
// exit 1 when the caller passed --require (CI that must measure, not skip).
export function skipBench(why: string, argv: readonly string[] = process.argv): never {
  console.log(`skipped: ${why}`);
  process.exit(argv.includes('--require') ? 1 : 0);
}
