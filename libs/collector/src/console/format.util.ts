/** What a terminal shows for a value the machine does not have. */
export const NOT_AVAILABLE = 'not available';

const UNITS = ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB', 'EiB'];

export function formatBytes(bytes: number | null): string {
  if (bytes === null || !Number.isFinite(bytes)) return NOT_AVAILABLE;
  let value = Math.max(0, bytes);
  let unit = 0;
  while (value >= 1024 && unit < UNITS.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return unit === 0 ? `${value} B` : `${value.toFixed(1)} ${UNITS[unit]}`;
}

export function formatRate(bytesPerSecond: number | null): string {
  return bytesPerSecond === null ? NOT_AVAILABLE : `${formatBytes(Math.round(bytesPerSecond))}/s`;
}

export function formatPercent(percent: number | null): string {
  return percent === null || !Number.isFinite(percent) ? NOT_AVAILABLE : `${percent.toFixed(1)} %`;
}

/** "3d 4h 5m", "4h 5m", "5m 12s". */
export function formatDuration(seconds: number | null): string {
  if (seconds === null || !Number.isFinite(seconds) || seconds < 0) return NOT_AVAILABLE;
  const total = Math.floor(seconds);
  const days = Math.floor(total / 86_400);
  const hours = Math.floor((total % 86_400) / 3600);
  const minutes = Math.floor((total % 3600) / 60);
  if (days > 0) return `${days}d ${hours}h ${minutes}m`;
  if (hours > 0) return `${hours}h ${minutes}m`;
  return `${minutes}m ${total % 60}s`;
}

/** UTC, so that the same facts read the same on every machine. */
export function formatTime(epochMs: number): string {
  return `${new Date(epochMs).toISOString().slice(0, 19).replace('T', ' ')} UTC`;
}

export function orNotAvailable<T>(value: T | null, format: (value: T) => string): string {
  return value === null ? NOT_AVAILABLE : format(value);
}
