// Runs a setup step's child process (electron's installer, prebuild-install) with its output shown to the user.
import { spawn } from 'node:child_process';

export interface StepOutput {
  line: (text: string) => void;
}

/** Runs `node <script> args` in `cwd`; resolves with the exit code, forwarding output line by line, indented. */
export function runNodeScript(
  script: string,
  args: string[],
  options: { cwd: string; env: NodeJS.ProcessEnv; out: StepOutput },
): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [script, ...args], { cwd: options.cwd, env: options.env, stdio: ['ignore', 'pipe', 'pipe'] });
    const forward = (chunk: Buffer) => {
      for (const line of chunk.toString().split('\n')) if (line.trim()) options.out.line(`    ${line.trimEnd()}`);
    };
    child.stdout.on('data', forward);
    child.stderr.on('data', forward);
    child.on('error', reject);
    child.on('close', (code) => resolve(code ?? 1));
  });
}
