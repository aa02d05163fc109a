import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * One temporary directory per test run, removed at its end: tests make data
 * dirs, journals and outboxes with `mkdtempSync(join(tmpdir(), …))`, and the
 * CLI tests start `weft` processes that make their own. Pointing TMPDIR here
 * before the test processes start (they and their children inherit it) cleans
 * up after all of them, a test that failed halfway included.
 */
export default function setup() {
  const previous = process.env.TMPDIR;
  const runDir = mkdtempSync(join(tmpdir(), 'weft-test-run-'));
  process.env.TMPDIR = runDir;
  return () => {
    if (previous === undefined) delete process.env.TMPDIR;
    else process.env.TMPDIR = previous;
    rmSync(runDir, { recursive: true, force: true });
  };
}
