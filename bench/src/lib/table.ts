export type Row = Record<string, string | number>;

/** Prints rows as an aligned plain-text table; columns come from the first row. */
export function printTable(title: string, rows: readonly Row[], write: (line: string) => void = (line) => console.log(line)): void {
  write('');
  write(title);
  if (rows.length === 0) {
    write('  (no rows)');
    return;
  }
  const columns = Object.keys(rows[0]);
  const cells = rows.map((row) => columns.map((column) => String(row[column] ?? '')));
  const widths = columns.map((column, i) => Math.max(column.length, ...cells.map((line) => line[i].length)));
  const line = (values: string[]) => values.map((value, i) => (i === 0 ? value.padEnd(widths[i]) : value.padStart(widths[i]))).join('  ');
  write(`  ${line(columns)}`);
  write(`  ${widths.map((w) => '-'.repeat(w)).join('  ')}`);
  for (const values of cells) write(`  ${line(values)}`);
}
