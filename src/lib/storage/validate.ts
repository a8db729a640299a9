/**
 * Strict validation of a history file before anything is imported, against the schema in
 * history-file.ts. Pure (no DOM, no IndexedDB): it returns the checked records, or the first
 * problems in words the person can read.
 */
import * as v from 'valibot';
import { HistoryFile } from './history-file';

/** Larger files are refused before parsing (about 20,000 scans with their thumbnails). */
export const MAX_FILE_CHARS = 256 * 1024 * 1024;
/** How many problems the message names. */
const SHOWN = 5;

/** A file that passed: format 1 is read as format 2 with no spots. */
export type ValidHistory = HistoryFile;

export type Validated =
  | { readonly ok: true; readonly file: ValidHistory }
  | { readonly ok: false; readonly message: string; readonly problems: readonly string[] };

/** An issue in words: a record's problem says which record ("scan 3 band is unknown"). */
function inWords(issue: v.BaseIssue<unknown>): string {
  const [list, item] = issue.path ?? [];
  const what = list?.key === 'scans' ? 'scan' : list?.key === 'lesions' ? 'spot' : null;
  return what && typeof item?.key === 'number'
    ? `${what} ${item.key + 1} ${issue.message}`
    : issue.message;
}

function fail(problems: readonly string[]): Validated {
  const more = problems.length > SHOWN ? ` (and ${problems.length - SHOWN} more)` : '';
  const message = `This is not a DermLens history file we can import: ${problems.slice(0, SHOWN).join('; ')}${more}. Nothing was imported.`;
  return { ok: false, message, problems };
}

export function validateHistory(text: string): Validated {
  if (text.length > MAX_FILE_CHARS) return fail(['the file is too large (over 256 MB)']);
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    return fail(['it is not JSON']);
  }
  const checked = v.safeParse(HistoryFile, data);
  if (checked.success) return { ok: true, file: checked.output };
  // Once each: a field with several wrong parts (a place's side and x) has one set of words.
  return fail([...new Set(checked.issues.map(inWords))]);
}
