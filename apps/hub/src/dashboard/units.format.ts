/** What a page shows for a value the host does not have or did not send. */
export const NOT_AVAILABLE = 'not available';

const BYTE_UNITS = ['KiB', 'MiB', 'GiB', 'TiB', 'PiB'] as const;

function isKnown(value: number | null | undefined): value is number {
  return typeof value === 'number' && Number.isFinite(value);
}

/** Rounds to at most `digits` decimals and drops trailing zeros, so 3.40 reads 3.4 and 1000.0 reads 1000. */
function trimmed(value: number, digits: number): string {
  return String(Number(value.toFixed(digits)));
}

/** Binary units, because memory and disk sizes are powers of two and `free -h` and `df -h` agree. */
export function formatBytes(value: number | null | undefined): string {
  if (!isKnown(value) || value < 0) return NOT_AVAILABLE;
  if (value < 1024) return `${Math.round(value)} B`;
  let scaled = value;
  let unit = 0;
  scaled /= 1024;
  // Move up while the rounded figure would read 1024.0 or more, so 1023.99 KiB shows as 1.0 MiB.
  while (Number(scaled.toFixed(1)) >= 1024 && unit < BYTE_UNITS.length - 1) {
    scaled /= 1024;
    unit += 1;
  }
  return `${scaled.toFixed(1)} ${BYTE_UNITS[unit]}`;
}

/** A byte rate; null on a host's first sample, where there is nothing to compare against. */
export function formatRate(bytesPerSecond: number | null | undefined): string {
  const size = formatBytes(bytesPerSecond);
  return size === NOT_AVAILABLE ? size : `${size}/s`;
}

export function formatPercent(value: number | null | undefined): string {
  if (!isKnown(value)) return NOT_AVAILABLE;
  return `${value.toFixed(1)}%`;
}

/** Link speed as the agent reports it, in Mbit/s. */
export function formatSpeedMbps(value: number | null | undefined): string {
  if (!isKnown(value) || value < 0) return NOT_AVAILABLE;
  return `${trimmed(value, 1)} Mbit/s`;
}

export function formatGHz(value: number | null | undefined): string {
  if (!isKnown(value) || value <= 0) return NOT_AVAILABLE;
  return `${trimmed(value, 2)} GHz`;
}

export function formatCelsius(value: number | null | undefined): string {
  if (!isKnown(value)) return NOT_AVAILABLE;
  return `${value.toFixed(1)} °C`;
}

export function formatLoad(load: { one: number; five: number; fifteen: number } | null | undefined): string {
  if (!load) return NOT_AVAILABLE;
  return [load.one, load.five, load.fifteen].map((value) => value.toFixed(2)).join(' / ');
}

export function formatCount(value: number | null | undefined): string {
  if (!isKnown(value)) return NOT_AVAILABLE;
  return String(value);
}

export function formatUpDown(up: boolean): 'up' | 'down' {
  return up ? 'up' : 'down';
}

export function formatYesNo(value: boolean | null | undefined): string {
  if (typeof value !== 'boolean') return NOT_AVAILABLE;
  return value ? 'yes' : 'no';
}

/** Free text from a host where an empty string means the host did not say. */
export function formatText(value: string | null | undefined): string {
  return value && value.trim() !== '' ? value : NOT_AVAILABLE;
}
