/** The training side of the parity test: training/'s own preprocessing, through its CLI. */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

const ROOT = resolve(import.meta.dirname, '../../..');
const TRAINING = join(ROOT, 'training');
const PYTHON = join(TRAINING, '.venv/bin/python');

/** Creates training/.venv if needed (training/setup.sh is idempotent and quick when done). */
export function ensurePython(): void {
  if (!existsSync(PYTHON)) {
    execFileSync('bash', [join(TRAINING, 'setup.sh')], { stdio: 'inherit', timeout: 1_800_000 });
  }
}

/**
 * `python -m dermlens_train.devtools preprocess-dump --size N --out FILE IMAGE...` writes
 * {"size": N, "uint8": {"<path as given>": [N*N*3 values, HWC RGB]}}.
 */
export function pythonPreprocess(files: readonly string[], size: number, out: string): number[][] {
  execFileSync(
    PYTHON,
    [
      '-m',
      'dermlens_train.devtools',
      'preprocess-dump',
      '--size',
      String(size),
      '--out',
      out,
      ...files,
    ],
    { cwd: TRAINING, stdio: 'inherit', timeout: 600_000 },
  );
  const dump = JSON.parse(readFileSync(out, 'utf8')) as {
    size: number;
    uint8: Record<string, number[]>;
  };
  if (dump.size !== size) throw new Error(`dump has size ${dump.size}, asked ${size}`);
  return files.map((f) => {
    const tensor = dump.uint8[f];
    if (!tensor) throw new Error(`no tensor for ${f} in ${out}`);
    return tensor;
  });
}
