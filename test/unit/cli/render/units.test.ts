// Sizes as the docker CLI prints them.
import { describe, expect, it } from 'vitest';
import { bytesSize, humanDuration, humanSize } from '../../../../src/cli/render/units.js';

describe('units', () => {
  it('decimal sizes with three significant digits, binary ones for memory', () => {
    expect([0, 999, 1000, 1234, 12_345, 1_984_000, 2_500_000_000].map(humanSize)).toEqual(['0B', '999B', '1kB', '1.23kB', '12.3kB', '1.98MB', '2.5GB']);
    expect([0, 1024, 475_136, 8_221_450_240].map(bytesSize)).toEqual(['0B', '1KiB', '464KiB', '7.66GiB']);
  });

  it('durations as `docker images` says how old an image is', () => {
    expect([500, 30_000, 70_000, 3_600_000, 5 * 86_400_000].map(humanDuration)).toEqual(['Less than a second', '30 seconds', 'About a minute', 'About an hour', '5 days']);
  });
});
