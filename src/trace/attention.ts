/**
 * What the Trace view says from a background tab: breakpoint hits recorded
 * since it was last on screen.
 */
import type { TranslationBundle } from '@jupyterlab/translation';
import type { ISignal } from '@lumino/signaling';
import { Signal } from '@lumino/signaling';
import type { IAttention, IAttentionSource } from '../layout/attention';
import { QUIET } from '../layout/attention';
import type { TraceModel } from './model';
import type { TraceService } from './service';

export function traceAttention(service: TraceService, trans: TranslationBundle): IAttentionSource {
  const changed = new Signal<TraceService, void>(service);
  // Hits received: rows kept and rows dropped, both only grow until a clear.
  const total = (m: TraceModel) => m.rows.length + m.dropped;
  const seen = new WeakMap<TraceModel, number>();
  let model: TraceModel | null = null;
  const follow = (next: TraceModel | null) => {
    model?.changed.disconnect(emit);
    model = next;
    if (model && !seen.has(model)) {
      // Hits count from when the trace is first followed.
      seen.set(model, total(model));
    }
    model?.changed.connect(emit);
    emit();
  };
  const emit = () => {
    // A clear starts the count again.
    if (model && total(model) < (seen.get(model) ?? 0)) {
      seen.set(model, total(model));
    }
    changed.emit();
  };
  service.currentChanged.connect((_, next) => follow(next));
  follow(service.model);
  const fresh = () => (model ? Math.max(0, total(model) - (seen.get(model) ?? 0)) : 0);
  return {
    changed: changed as ISignal<unknown, unknown>,
    read: (): IAttention => {
      const hits = fresh();
      return hits > 0 ? { count: hits, reason: trans._n('%1 new hit', '%1 new hits', hits) } : QUIET;
    },
    seen: () => {
      if (model) {
        seen.set(model, total(model));
      }
    }
  };
}
