/**
 * What the Trace section shows: cells, hits, log text and recorded values as
 * text, numeric columns with a sparkline, and no more than MAX_RENDERED rows.
 */
import { CommandRegistry } from '@lumino/commands';
import { Signal } from '@lumino/signaling';
import { Widget } from '@lumino/widgets';
import { TraceBody } from './body';
import { TraceModel } from './model';
import { batch, traceRow } from './testing/fakes';

describe('TraceBody', () => {
  const commands = new CommandRegistry();
  const plotted: unknown[] = [];
  commands.addCommand('plot', { execute: args => void plotted.push(args.column) });

  function render(model: TraceModel): TraceBody {
    const source = {
      model,
      currentChanged: new Signal<unknown, TraceModel | null>({}),
      cellOf: (path: string) => (path.endsWith('10.py') ? 2 : null)
    };
    const body = new TraceBody({ source, commands, plotCommand: 'plot' });
    Widget.attach(body, document.body);
    body.update();
    return body;
  }

  it('lists hits newest first with cell, hit, log and values as text', async () => {
    const model = new TraceModel();
    model.append(
      batch([
        traceRow(1, { loss: 0.5, tag: '<b>x</b>' }),
        traceRow(2, { loss: 0.25, tag: 'y' })
      ])
    );
    const body = render(model);
    await Promise.resolve();
    body.processMessage(Widget.Msg.UpdateRequest);
    const rows = body.node.querySelectorAll('tbody tr');
    expect(rows).toHaveLength(2);
    const cell = (i: number, name: string) =>
      rows[i].querySelector(`[data-name="${name}"], [data-column="${name}"]`)!.textContent;
    expect(cell(0, 'hit')).toBe('2');
    expect(cell(1, 'cell')).toBe('[2]');
    expect(cell(1, 'log')).toBe('step 1');
    expect(cell(1, 'tag')).toBe('<b>x</b>');
    expect(body.node.querySelector('b')).toBeNull();
    const header = body.node.querySelector('th[data-column="loss"]')!;
    expect(header.querySelector('svg')).not.toBeNull();
    expect(body.node.querySelector('th[data-column="tag"] svg')).toBeNull();
    (header.querySelector('button') as HTMLButtonElement).click();
    expect(plotted).toEqual(['loss']);
    body.dispose();
  });

  it('renders at most MAX_RENDERED rows and says what was dropped', () => {
    const model = new TraceModel({ capacity: 600 });
    model.append(batch(Array.from({ length: 700 }, (_, i) => traceRow(i + 1))));
    const body = render(model);
    body.processMessage(Widget.Msg.UpdateRequest);
    expect(body.node.querySelectorAll('tbody tr')).toHaveLength(TraceBody.MAX_RENDERED);
    const status = body.node.querySelector('.jp-MLDebuggerTrace-status')!.textContent!;
    expect(status).toContain('600 hits');
    expect(status).toContain('100 older rows dropped');
    expect(status).toContain('newest 500');
    body.dispose();
  });
});
