#!/usr/bin/env node
// The `glstream` command: serve (for the kernel), snapshot, doctor.
import { parseArgs } from 'node:util';
import { diagnose } from './commands/doctor.js';
import { formatReport } from './commands/doctor-format.js';
import { serveStdio } from './kernel/serve.js';
import { snapshotDemo } from './commands/snapshot.js';
import { startOptions } from './kernel/start-options.js';

const USAGE = `usage:
  glstream doctor [--json] [--backend xvfb|xpra] [--force-headless] [--screen 1920x1080x24]
                                                         report display, GL and encoder, with fixes
  glstream snapshot --demo [--size 640x480] --out FILE   render the demo scene to a PNG
  glstream serve --stdio                                 run as a kernel's sidecar (started by the Python package)`;

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  const { values } = parseArgs({
    args: rest,
    options: {
      json: { type: 'boolean' },
      backend: { type: 'string' },
      'force-headless': { type: 'boolean' },
      screen: { type: 'string' },
      demo: { type: 'boolean' },
      size: { type: 'string' },
      out: { type: 'string' },
      stdio: { type: 'boolean' },
    },
  });
  switch (command) {
    case 'doctor': {
      const options = startOptions({
        backend: values.backend,
        force_headless: values['force-headless'],
        screen: values.screen,
      });
      const report = await diagnose(options);
      process.stdout.write(values.json ? `${JSON.stringify(report, null, 2)}\n` : `${formatReport(report)}\n`);
      return report.gl === null ? 1 : 0;
    }
    case 'snapshot': {
      if (!values.demo || values.out === undefined) throw new TypeError('snapshot needs --demo and --out FILE');
      const match = /^(\d+)x(\d+)$/.exec(values.size ?? '640x480');
      if (match === null) throw new TypeError(`--size must look like 640x480, got ${values.size}`);
      await snapshotDemo(Number(match[1]), Number(match[2]), values.out);
      return 0;
    }
    case 'serve':
      if (!values.stdio) throw new TypeError('serve needs --stdio');
      serveStdio();
      return -1;
    default:
      process.stderr.write(`${USAGE}\n`);
      return command === undefined || command === '--help' ? 0 : 2;
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    if (code >= 0) process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`glstream: ${error instanceof Error ? error.message : String(error)}\n${USAGE}\n`);
    process.exitCode = 2;
  },
);
