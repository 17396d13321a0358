// Where and how the CLI writes: data to stdout, everything else to stderr, colour only on a TTY without NO_COLOR.
import { ansiStyle, plainStyle, type Style } from '../api/format.js';
import { formatDiagnostic, type Diagnostic } from '../model/errors.js';

export function styleFor(stream: NodeJS.WriteStream): Style {
  return stream.isTTY && !process.env.NO_COLOR && process.env.TERM !== 'dumb' ? ansiStyle : plainStyle;
}

export function out(text: string): void {
  process.stdout.write(text.endsWith('\n') ? text : `${text}\n`);
}

export function err(text: string): void {
  process.stderr.write(text.endsWith('\n') ? text : `${text}\n`);
}

export function printWarnings(warnings: Diagnostic[]): void {
  const style = styleFor(process.stderr);
  for (const w of warnings) err(style.yellow(formatDiagnostic(w)));
}
