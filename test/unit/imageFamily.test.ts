import assert from 'node:assert/strict';
import { test } from 'node:test';
import { imageFamily, previousVersionOf } from '../../src/core/imageFamily';
import type { ImageSummary } from '../../src/core/types';

let sequence = 0;
const ami = (name: string, creationDate: string, imageId = `ami-${(sequence++).toString(16).padStart(17, '0')}`): ImageSummary => ({
  imageId, name, creationDate, ownerId: '111111111111', state: 'available', isPublic: false, snapshotIds: [], anyEncrypted: false,
});

test('family: trailing dates, timestamps and versions are removed; a name without one has no family', () => {
  assert.deepEqual(imageFamily('golden-al2023-2026-11-03'), { family: 'golden-al2023-', version: '2026-11-03', kind: 'date' });
  assert.equal(imageFamily('base_20261103T101500Z')?.family, 'base_');
  assert.equal(imageFamily('packer-1764582000')?.kind, 'timestamp');
  assert.deepEqual(imageFamily('web v1.12.0'), { family: 'web ', version: 'v1.12.0', kind: 'version' });
  assert.equal(imageFamily('app-7')?.family, 'app-');
  assert.equal(imageFamily('standalone'), undefined);
  assert.equal(imageFamily('2026-11-03'), undefined);
});

test('previous version: the newest older AMI of the same family, with how it matched', () => {
  const current = ami('golden-al2023-2026-11-03', '2026-11-03T00:00:00Z');
  const candidates = [
    ami('golden-al2023-2026-11-01', '2026-11-01T00:00:00Z'),
    ami('golden-al2023-2026-11-02', '2026-11-02T00:00:00Z'),
    ami('golden-al2023-2026-11-04', '2026-11-04T00:00:00Z'),
    ami('golden-al2023-eu-2026-11-02', '2026-11-02T12:00:00Z'),
    current,
  ];
  const previous = previousVersionOf(current, candidates);
  assert.equal(previous?.image.name, 'golden-al2023-2026-11-02');
  assert.match(previous!.how, /family "golden-al2023-" \(the name without its trailing date "2026-11-03"\), newest older AMI of 2/);
  assert.equal(previousVersionOf(candidates[0]!, candidates), undefined, 'the oldest has none');
  assert.equal(previousVersionOf(ami('standalone', '2026-11-05T00:00:00Z'), candidates), undefined);
});
