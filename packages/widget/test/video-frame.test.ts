// Video frames on the wire: their codec string and key flag are read and checked; images carry neither.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { readFrame } from '../src/frame.js';
import { videoCodecs } from '../src/video-support.js';
import { frameMeta } from './frames.js';

const buffers = [new ArrayBuffer(4)];
const VIDEO = { ...frameMeta(3, { mime: 'video/h264', still: false }), codec: 'avc1.42c01f', key: true };

test('a video frame keeps its codec string and key flag', () => {
  const frame = readFrame(VIDEO, buffers);
  assert.equal(frame?.meta.mime, 'video/h264');
  assert.equal(frame?.meta.codec, 'avc1.42c01f');
  assert.equal(frame?.meta.key, true);
});

test('a video frame without its codec string or key flag is refused, naming the field', () => {
  assert.throws(() => readFrame({ ...VIDEO, codec: undefined }, buffers), { name: 'TypeError', message: /"codec"/ });
  assert.throws(() => readFrame({ ...VIDEO, codec: '' }, buffers), { name: 'TypeError', message: /"codec"/ });
  assert.throws(() => readFrame({ ...VIDEO, key: 'yes' }, buffers), { name: 'TypeError', message: /"key"/ });
  assert.throws(() => readFrame({ ...VIDEO, mime: 'video/vp9' }, buffers), { name: 'TypeError', message: /"mime"/ });
});

test('an image frame carries no codec fields, whatever the message had', () => {
  const frame = readFrame({ ...frameMeta(4), codec: 'avc1.42c01f', key: true }, buffers);
  assert.equal(frame?.meta.codec, undefined);
  assert.equal(frame?.meta.key, undefined);
});

test('without WebCodecs (here: Node) the widget announces no video codec', () => {
  assert.deepEqual(videoCodecs(), []);
});
