/**
 * The one delete that can still be undone. Deleting happens at once (the database always holds
 * what the screen shows, in every tab, and closing the page keeps the delete the person asked
 * for); the record taken away is kept here, in memory, for UNDO_MS, and undo puts it back as it
 * was. A new delete replaces the offer (the earlier one simply stays deleted). The clock stops
 * while the person is at the undo bar (pointer or focus on it), so it never goes away under them.
 */
import { errorText } from '../../shared/errors';

export const UNDO_MS = 10_000;
/** Left to undo once the person leaves the bar, at least: time to come back to it. */
const AFTER_LEAVING_MS = 4_000;

export interface Undoable {
  /** What was deleted, in words: "Scan of 3 Feb 2026, 10:00 deleted." */
  readonly message: string;
  /** Puts it back; resolves to words about how it came back, or null when as it was. */
  readonly undo: () => Promise<string | null>;
  /** Where the focus goes once it is back (the restored item). */
  readonly afterUndo?: () => void;
}

class UndoState {
  /** The delete on offer, if any. */
  current = $state.raw<Undoable | null>(null);
  /** Said to screen readers (a live region): the offer, then what undo did. */
  said = $state('');
  /** Whether the last undo failed: said as an alert. */
  failed = $state(false);

  private timer: ReturnType<typeof setTimeout> | null = null;
  private left = UNDO_MS;
  private since = 0;

  offer(item: Undoable): void {
    this.stop();
    this.current = item;
    this.failed = false;
    this.said = `${item.message} To undo, press Undo at the bottom of the screen, or Ctrl+Z.`;
    this.left = UNDO_MS;
    this.run();
  }

  async undo(): Promise<void> {
    const item = this.current;
    if (!item) return;
    this.close();
    try {
      const how = await item.undo();
      this.said = how ?? 'Undone: it is back.';
      item.afterUndo?.();
    } catch (e) {
      this.failed = true;
      this.said = `Could not undo: ${errorText(e)}`;
    }
  }

  /** The person closed the bar: the delete stays. */
  dismiss(): void {
    this.close();
    this.said = '';
    this.failed = false;
  }

  /** The person is at the bar: the clock stops. */
  pause(): void {
    if (!this.timer) return;
    clearTimeout(this.timer);
    this.timer = null;
    this.left -= performance.now() - this.since;
  }

  /** The person left the bar: the clock goes on where it stopped. */
  resume(): void {
    if (!this.current || this.timer) return;
    this.left = Math.max(this.left, AFTER_LEAVING_MS);
    this.run();
  }

  private run(): void {
    this.since = performance.now();
    this.timer = setTimeout(() => this.dismiss(), Math.max(0, this.left));
  }

  private stop(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  private close(): void {
    this.stop();
    this.current = null;
  }
}

export const undo = new UndoState();
