/**
 * Runs one `webbdesk crds <sub>` command function in a child process, for
 * tests that need real separate processes (concurrent syncs). Usage:
 * `node --import tsx test/crds-server/cli-runner.ts sync --contexts ...`.
 */
import { crdsImportCommand, crdsLsCommand, crdsPruneCommand, crdsSyncCommand, crdsVerifyCommand } from '../../core/cli/crds-cache.ts';
import { WebbError } from '../../core/errors/index.ts';

const table = { sync: crdsSyncCommand, ls: crdsLsCommand, verify: crdsVerifyCommand, prune: crdsPruneCommand, import: crdsImportCommand };
const [sub, ...rest] = process.argv.slice(2);
const cmd = table[sub as keyof typeof table];
if (!cmd) {
  process.stderr.write(`cli-runner: unknown subcommand ${sub}\n`);
  process.exit(2);
}
try {
  process.exitCode = await cmd(rest, { stdout: (s) => process.stdout.write(s), stderr: (s) => process.stderr.write(s) });
} catch (e) {
  if (!(e instanceof WebbError)) throw e;
  process.stderr.write(`webbdesk crds ${sub}: ${e.message}\n`);
  process.exitCode = 1;
}
