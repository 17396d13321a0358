// Sizes and durations as the docker CLI prints them (go-units): decimal sizes with three significant digits
// ("1.23kB", "45.6MB") for I/O and images, binary ones ("1.2MiB") for memory.

function scaled(bytes: number, base: number, units: string[]): string {
  let value = bytes;
  let i = 0;
  while (value >= base && i < units.length - 1) {
    value /= base;
    i++;
  }
  // Three significant digits, trailing zeros dropped: 1.23kB, 12.3kB, 123kB, 0B.
  const text = Number(value.toPrecision(3)).toString();
  return `${text}${units[i]}`;
}

/** go-units HumanSize: "1.23kB", "4.2MB". */
export function humanSize(bytes: number): string {
  return scaled(bytes, 1000, ['B', 'kB', 'MB', 'GB', 'TB', 'PB']);
}

/** go-units BytesSize: "1.23KiB", "7.66GiB". */
export function bytesSize(bytes: number): string {
  return scaled(bytes, 1024, ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB']);
}

/** go-units HumanDuration, as `docker images` says how old an image is: "5 seconds", "About a minute", "3 days". */
export function humanDuration(ms: number): string {
  const s = Math.floor(ms / 1000);
  if (s < 1) return 'Less than a second';
  if (s === 1) return '1 second';
  if (s < 60) return `${s} seconds`;
  const m = Math.round(s / 60);
  if (m === 1) return 'About a minute';
  if (m < 60) return `${m} minutes`;
  const h = Math.round(s / 3600);
  if (h === 1) return 'About an hour';
  if (h < 48) return `${h} hours`;
  if (h < 24 * 7 * 2) return `${Math.round(h / 24)} days`;
  if (h < 24 * 30 * 2) return `${Math.round(h / 24 / 7)} weeks`;
  if (h < 24 * 365 * 2) return `${Math.round(h / 24 / 30)} months`;
  return `${Math.round(h / 24 / 365)} years`;
}
