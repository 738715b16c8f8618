/**
 * The views of the down area, on a real tab panel standing in for
 * JupyterLab's: opened once, brought forward, badged while off screen with
 * what they have to say, news forgotten once seen.
 */
import type { JupyterFrontEnd } from '@jupyterlab/application';
import { Signal } from '@lumino/signaling';
import { TabPanel, Widget } from '@lumino/widgets';
import type { IAttention, IAttentionSource } from './attention';
import { listAttention, QUIET } from './attention';
import { MLViews } from './views';

/** JupyterLab's down area, as far as the views use it. */
function fakeShell(area: TabPanel): JupyterFrontEnd.IShell {
  return {
    add: (widget: Widget) => area.addWidget(widget),
    activateById: (id: string) => {
      const widget = area.widgets.find(w => w.id === id);
      if (widget) {
        area.currentWidget = widget;
      }
    }
  } as unknown as JupyterFrontEnd.IShell;
}

/** Lets the views see what came on or off screen. */
const settle = () => new Promise(resolve => setTimeout(resolve, 0));

class Problems {
  readonly changed = new Signal<this, void>(this);
  items: string[] = [];
  set(items: string[]): void {
    this.items = items;
    this.changed.emit();
  }
}

describe('MLViews', () => {
  let area: TabPanel;
  let views: MLViews;
  let problems: Problems;

  beforeEach(() => {
    area = new TabPanel();
    Widget.attach(area, document.body);
    views = new MLViews({ shell: fakeShell(area) });
    problems = new Problems();
    views.add({
      key: 'threads',
      label: 'Threads',
      rank: 50,
      create: () => new Widget(),
      attention: listAttention(problems.changed, () => problems.items, (n, first) => `${n}: ${first}`)
    });
    views.add({ key: 'watch', label: 'Watch', rank: 10, create: () => new Widget() });
  });

  afterEach(() => {
    views.dispose();
    area.dispose();
  });

  const tab = (label: string) => area.tabBar.titles.find(t => t.label === label)!;

  it('lists views in rank order and opens one, once, in front', () => {
    expect(views.views.map(v => v.label)).toEqual(['Watch', 'Threads']);
    const first = views.reveal('threads');
    expect(views.reveal('threads')).toBe(first);
    expect(area.widgets).toEqual([first]);
    expect(area.currentWidget).toBe(first);
    expect(first!.title.closable).toBe(true);
  });

  it('badges a view off screen with its count and reason, and not while it is on screen', async () => {
    views.reveal('threads');
    views.reveal('watch');
    await settle();
    problems.set(['MainThread → lock → MainThread']);
    expect(tab('Threads').dataset['ml-attention']).toBe('1');
    expect(tab('Threads').caption).toContain('1: MainThread → lock → MainThread');
    expect(views.attentionOf('threads').count).toBe(1);

    area.currentWidget = area.widgets.find(w => w.title.label === 'Threads')!;
    await settle();
    expect(tab('Threads').dataset['ml-attention']).toBeUndefined();
    expect(views.attentionOf('threads')).toEqual(QUIET);

    problems.set([]);
    area.currentWidget = area.widgets.find(w => w.title.label === 'Watch')!;
    await settle();
    expect(tab('Threads').dataset['ml-attention']).toBeUndefined();
  });

  it('forgets news once the view was on screen', async () => {
    let total = 0;
    let seen = 0;
    const changed = new Signal<object, void>({});
    const news: IAttentionSource = {
      changed,
      read: (): IAttention => (total > seen ? { count: total - seen, reason: 'new hits' } : QUIET),
      seen: () => {
        seen = total;
      }
    };
    views.add({ key: 'trace', label: 'Trace', rank: 30, create: () => new Widget(), attention: news });
    views.reveal('trace');
    views.reveal('watch');
    await settle();
    total = 3;
    changed.emit();
    expect(tab('Trace').dataset['ml-attention']).toBe('3');
    views.reveal('trace');
    await settle();
    views.reveal('watch');
    await settle();
    expect(tab('Trace').dataset['ml-attention']).toBeUndefined();
  });

  it('reopens a closed view as a new widget over the same state', async () => {
    const first = views.reveal('threads')!;
    first.dispose();
    expect(views.isOpen('threads')).toBe(false);
    const again = views.reveal('threads')!;
    expect(again).not.toBe(first);
    expect(views.isOpen('threads')).toBe(true);
  });

  it('tells a view that is not open to ask the kernel nothing', () => {
    // A model is shown by default: its view's panel tells it otherwise.
    const model = { isShown: true };
    views.add({ key: 'counters', label: 'Counters', rank: 60, create: () => new Widget(), shown: model });
    expect(model.isShown).toBe(false);
  });
});
