// The doctor on video: Debian's ffmpeg is found with libx264; a missing ffmpeg, or one without libx264, is a
// problem whose fix says how to install one, and the report still says frames stay JPEG.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FFMPEG_FIX, formatVideo, videoProblems } from '../src/commands/doctor-video.js';
import { ask } from '../src/stream/video/ffmpeg.js';

test("this machine's ffmpeg encodes H.264: no problem, and the line names it", async () => {
  const info = await ask('ffmpeg');
  assert.deepEqual(videoProblems(info), []);
  assert.match(formatVideo(info), /^video: +H\.264 \(libx264\) by ffmpeg, ffmpeg version \S+/);
});

test('a missing ffmpeg is a problem with the commands that install one', async () => {
  const info = await ask('/nonexistent/ffmpeg');
  assert.equal(info.h264, false);
  const [problem, ...rest] = videoProblems(info);
  assert.equal(rest.length, 0);
  assert.match(
    problem?.problem ?? '',
    /no H\.264 encoder, interactive frames stay JPEG: \/nonexistent\/ffmpeg: .*ENOENT/,
  );
  assert.equal(problem?.fix, FFMPEG_FIX);
  assert.match(FFMPEG_FIX, /apt-get install ffmpeg/);
  assert.match(formatVideo(info), /interactive frames stay JPEG$/);
});

test('a program that runs but lists no libx264 is named as such', async () => {
  const info = await ask('/bin/true');
  assert.equal(info.error, 'this ffmpeg has no libx264 encoder');
  assert.equal(videoProblems(info).length, 1);
});
