/**
 * Importing a history file the person picked: read it here (never uploaded), validate it, plan
 * it against what is on the device, ask about conflicts, then write it all or nothing.
 */
import { errorText } from '../../shared/errors';
import { applyImport, planFor } from '../storage/import';
import {
  conflictCount,
  importSummary,
  KEEP_ALL,
  type ConflictChoice,
  type ImportPlan,
} from '../storage/merge';
import { StorageFullError } from '../storage/scans';
import { MAX_FILE_CHARS, validateHistory } from '../storage/validate';
import { history } from './history.svelte';

/** A full disk while importing: nothing was written (one transaction), and what to do. */
const IMPORT_FULL =
  'Not imported: this device’s storage is full. Nothing from the file was written and your ' +
  'scans are all still here. Free some space, then import the file again.';

export type ImportPhase = 'idle' | 'checking' | 'conflicts' | 'importing' | 'done' | 'failed';

class ImportState {
  phase = $state<ImportPhase>('idle');
  /** What happened, in words (the summary, or why nothing was imported). */
  message = $state('');
  /** The checked file against this device: its conflicts are listed while the person decides. */
  plan = $state.raw<ImportPlan | null>(null);

  async pick(file: File): Promise<void> {
    this.phase = 'checking';
    this.plan = null;
    try {
      if (file.size > MAX_FILE_CHARS) {
        return this.fail('Nothing was imported: this file is too large to be a DermLens history.');
      }
      const checked = validateHistory(await file.text());
      if (!checked.ok) return this.fail(checked.message);
      const store = await history.ready();
      const plan = await planFor(store.db, checked.file);
      this.plan = plan;
      if (conflictCount(plan) > 0) this.phase = 'conflicts';
      else await this.apply(KEEP_ALL);
    } catch (e) {
      this.fail(`Nothing was imported: ${errorText(e)}`);
    }
  }

  /** Writes the planned records; each conflict as the person chose (theirs kept by default). */
  async apply(choice: ConflictChoice): Promise<void> {
    const plan = this.plan;
    if (!plan) return;
    this.phase = 'importing';
    try {
      const store = await history.ready();
      await applyImport(store.db, plan, choice);
      await history.refresh(store);
      this.message = importSummary(plan, choice);
      this.phase = 'done';
    } catch (e) {
      this.fail(
        e instanceof StorageFullError ? IMPORT_FULL : `Nothing was imported: ${errorText(e)}`,
      );
    } finally {
      this.plan = null;
    }
  }

  cancel(): void {
    this.plan = null;
    this.phase = 'idle';
    this.message = 'Import cancelled: nothing was changed.';
  }

  private fail(message: string): void {
    this.message = message;
    this.phase = 'failed';
  }
}

export const importing = new ImportState();
