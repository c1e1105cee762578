/** A one-line progress bar on stderr (a line per row when stderr is not a terminal). */
export function progressBar(
  stream: NodeJS.WriteStream = process.stderr,
): (done: number, total: number, label: string) => void {
  const started = Date.now();
  return (done, total, label) => {
    const width = 24;
    const filled = total === 0 ? width : Math.round((done / total) * width);
    const seconds = ((Date.now() - started) / 1000).toFixed(0);
    const text = `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${done}/${total} ${seconds}s ${label}`;
    if (stream.isTTY) stream.write(`\r\x1b[2K${text}${done === total ? '\n' : ''}`);
    else stream.write(`${text}\n`);
  };
}
