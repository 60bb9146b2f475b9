// The saved still: the `_still` PNG shown from an object URL until the view is live, each URL revoked once replaced,
// emptied, gone live or removed (node's URL.createObjectURL and resolveObjectURL stand in for the browser's).
import assert from 'node:assert/strict';
import { resolveObjectURL } from 'node:buffer';
import { test } from 'node:test';
import { readStill, SavedStill, type StillElement, stillMime } from '../src/still.js';

const PNG = new DataView(new Uint8Array([0x89, 0x50, 0x4e, 0x47, 1, 2, 3]).buffer);

// An <img> as far as SavedStill uses it.
const element = (): StillElement => ({
  hidden: true,
  src: '',
  removeAttribute(this: StillElement) {
    this.src = '';
  },
});

test('a still is bytes with something in them', () => {
  assert.equal(readStill(PNG), PNG);
  assert.equal(readStill(new DataView(new ArrayBuffer(0))), null, 'b"" until the kernel has a still');
  assert.equal(readStill(null), null);
  assert.equal(readStill('iVBOR'), null);
});

test('a still is a JPEG by its start of image marker, else a PNG', () => {
  assert.equal(stillMime(PNG), 'image/png');
  assert.equal(stillMime(new Uint8Array([0xff, 0xd8, 0xff, 0xe0]).buffer), 'image/jpeg');
  assert.equal(
    stillMime(new DataView(new Uint8Array([0, 0xff, 0xd8]).buffer, 1)),
    'image/jpeg',
    'a view into a buffer',
  );
});

test('the still is shown from a PNG object URL, revoked when replaced or emptied', async () => {
  const img = element();
  const still = new SavedStill(img, new AbortController().signal);
  still.show(PNG);
  assert.equal(still.shown, true);
  const first = img.src;
  const blob = resolveObjectURL(first);
  assert.equal(blob?.type, 'image/png');
  assert.deepEqual(new Uint8Array(await blob!.arrayBuffer()), new Uint8Array(PNG.buffer));

  still.show(PNG);
  assert.notEqual(img.src, first);
  assert.equal(resolveObjectURL(first), undefined, 'the replaced URL is revoked');
  const second = img.src;
  still.show(new DataView(new ArrayBuffer(0)));
  assert.equal(still.shown, false);
  assert.equal(img.src, '');
  assert.equal(resolveObjectURL(second), undefined, 'an emptied still revokes its URL');
});

test('once live, the still is gone and stays gone', () => {
  const img = element();
  const still = new SavedStill(img, new AbortController().signal);
  still.show(PNG);
  const url = img.src;
  still.live();
  assert.equal(still.shown, false);
  assert.equal(resolveObjectURL(url), undefined);
  still.show(PNG);
  assert.equal(still.shown, false, 'a newer still does not cover the live view');
});

test('removing the view revokes the still', () => {
  const img = element();
  const controller = new AbortController();
  new SavedStill(img, controller.signal).show(PNG);
  const url = img.src;
  controller.abort();
  assert.equal(img.hidden, true);
  assert.equal(resolveObjectURL(url), undefined);
});
