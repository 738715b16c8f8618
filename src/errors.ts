/**
 * Turn a failed request into a sentence that says what happened and what to
 * do, for the section's message and for notifications.
 */
import type { TranslationBundle } from '@jupyterlab/translation';
import { ProbeError } from './kernel/protocol';

export function describeError(
  reason: unknown,
  trans: TranslationBundle
): string {
  if (!(reason instanceof ProbeError)) {
    const detail = reason instanceof Error ? reason.message : String(reason);
    return trans.__(
      'Reading from the kernel failed: %1. Press Refresh; if it keeps failing, restart the kernel.',
      detail
    );
  }
  switch (reason.kind) {
    case 'kernel-restarted':
      return trans.__(
        'The kernel restarted while this section was loading. It reloads when the kernel is ready, or press Refresh.'
      );
    case 'kernel-dead':
      return trans.__(
        'The kernel died. Restart it from the Kernel menu to read it again.'
      );
    case 'disposed':
      return trans.__(
        'The connection to this kernel was closed. Select a notebook with a running kernel.'
      );
    case 'no-frame':
      return trans.__(
        'The selected frame is gone because the program moved on. Select a frame in the call stack, or press Refresh.'
      );
    case 'no-value':
      return trans.__(
        'This value no longer exists in its scope. Press Refresh to see the current values.'
      );
    case 'internal':
      return trans.__(
        'The debugger probe failed: %1. Press Refresh; please report this if it happens again.',
        reason.message
      );
    default:
      // timeout, protocol and bad-request messages already say what to do.
      return reason.message;
  }
}
