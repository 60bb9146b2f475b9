// The video lists in limits.json hold exactly the members of the unions that name them, without repeats.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { type FrameMime, LIMITS, type VideoCodec } from '../src/index.js';

const VIDEO_CODECS: Record<VideoCodec, true> = { h264: true };
const FRAME_MIMES: Record<FrameMime, true> = { 'image/jpeg': true, 'image/png': true, 'video/h264': true };

test('video_codecs and frame_mimes are the members of VideoCodec and FrameMime', () => {
  assert.deepEqual([...LIMITS.video_codecs].sort(), Object.keys(VIDEO_CODECS).sort());
  assert.deepEqual([...LIMITS.frame_mimes].sort(), Object.keys(FRAME_MIMES).sort());
  for (const list of [LIMITS.video_codecs, LIMITS.frame_mimes]) assert.equal(new Set(list).size, list.length);
});

test('each video codec has its frame mime', () => {
  for (const codec of LIMITS.video_codecs) assert.ok(LIMITS.frame_mimes.includes(`video/${codec}`));
});
