// What reading a document needs to know and where it reports (load-document.ts fills it; extends and include read
// further documents with it).
import type { Diagnostic } from '../../model/errors.js';
import type { ShapeNote } from './compose-shape.js';
import type { Lookup } from './dotenv.js';

export interface DocumentContext {
  cwd: string;
  lookup: Lookup;
  /** false keeps `${VAR}` as written (`surge import` writes it into the Boltfile) */
  interpolate: boolean;
  /** relative host paths and `extends.file` in these documents are relative to this folder */
  pathsDir: string;
  errors: Diagnostic[];
  warnings: Diagnostic[];
  /** variables already warned about as unset (one warning per variable, as compose gives) */
  unsetWarned: Set<string>;
  /** every file read, so watch re-loads when one changes */
  inputs: Set<string>;
  /** files being included, outermost first, to refuse cycles */
  includeChain: string[];
  /**
   * resets: how many `!reset` marks were placed (none: the merged document need not be searched for them);
   * extended: how many documents had services with `extends` (which copies values: the merged document's size is then
   * no longer bounded by its files')
   */
  marks: { resets: number; extended: number };
  /** where compose forms were rewritten (for `surge import`'s comments) */
  notes?: ShapeNote[];
}

export interface Layer {
  file: string;
  display: string;
  /** raw Boltfile shape; `!reset` marks left for the merge */
  data: Record<string, unknown>;
}
