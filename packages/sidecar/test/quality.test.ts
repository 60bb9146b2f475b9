import { test } from 'node:test';
import assert from 'node:assert/strict';
import { QualityController } from '../src/stream/quality.js';

test('interactive frames start at 0.75 size and the best JPEG quality', () => {
  assert.deepEqual(new QualityController().current, { scale: 0.75, jpegQuality: 85 });
});

test('frames slower than the target interval shrink the size to 0.5, no further', () => {
  const quality = new QualityController({ targetFps: 60 });
  for (let i = 0; i < 20; i += 1) quality.frameTook(40);
  assert.equal(quality.current.scale, 0.5);
  assert.equal(quality.current.jpegQuality, 60, 'a frame time far over budget costs quality too');
});

test('headroom grows the size back to 1.0, no further', () => {
  const quality = new QualityController({ targetFps: 30 });
  for (let i = 0; i < 20; i += 1) quality.frameTook(5);
  assert.equal(quality.current.scale, 1);
  assert.equal(quality.current.jpegQuality, 85);
});

test('a frame time just under the interval holds the size where growing would overrun it', () => {
  const quality = new QualityController({ targetFps: 60 });
  for (let i = 0; i < 20; i += 1) quality.frameTook(14);
  assert.equal(quality.current.scale, 0.75);
  assert.ok(
    quality.current.jpegQuality > 60 && quality.current.jpegQuality < 85,
    `quality ${quality.current.jpegQuality} sits between the bounds`,
  );
});

test('a slow ack round trip lowers JPEG quality without touching the size', () => {
  const quality = new QualityController({ targetFps: 50 });
  for (let i = 0; i < 20; i += 1) quality.ackTook(200);
  assert.deepEqual(quality.current, { scale: 0.75, jpegQuality: 60 });
});

test('a bad target frame rate is refused at once', () => {
  assert.throws(() => new QualityController({ targetFps: 0 }), {
    name: 'TypeError',
    message: 'targetFps must be a positive number, got 0',
  });
});
