import assert from 'node:assert/strict';
import { mock, test } from 'node:test';
import type { StatsReport } from '@glstream/protocol';
import { StatsReporter } from '../src/reporter.js';
import { frameMeta } from './frames.js';

test('the report after the frames stopped covers the second that ended with the newest frame, however late', () => {
  mock.timers.enable({ apis: ['setTimeout'] });
  try {
    let clock = 0;
    const reports: StatsReport[] = [];
    const reporter = new StatsReporter(
      { hidden: true, textContent: '' },
      (report) => reports.push(report),
      new AbortController().signal,
      () => clock,
    );
    for (let seq = 1; seq <= 10; seq += 1) {
      clock = seq * 50;
      reporter.painted(frameMeta(seq, { t_input: clock - 20 }));
    }
    // The page was busy: the report's timer fires 1.5 s after the last paint instead of within the second.
    clock = 2000;
    mock.timers.tick(1000);
    assert.equal(reports.length, 1);
    assert.equal(reports[0]!.fps, 10, 'the ten frames of the last second of the drag');
    assert.equal(reports[0]!.latency_ms_p50, 20);
    assert.equal(reports[0]!.frames, 10);
    clock = 9000;
    mock.timers.tick(5000);
    assert.equal(reports.length, 1, 'nothing painted since: no more reports');
  } finally {
    mock.timers.reset();
  }
});
