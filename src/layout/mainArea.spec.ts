/**
 * Where a big view opens, on real Lumino panels standing in for the two
 * shells: JupyterLab's main area takes it; Notebook 7's, which holds its one
 * notebook, turns it away, and the view opens in front below the notebook.
 */
import type { JupyterFrontEnd } from '@jupyterlab/application';
import { BoxPanel, SplitPanel, TabPanel, Widget } from '@lumino/widgets';
import { openInMainArea } from './mainArea';

/** A shell with a main area and a down area, as far as big views use them. */
interface IFakeShell {
  shell: JupyterFrontEnd.IShell;
  main: BoxPanel;
  down: TabPanel;
  dispose(): void;
}

/**
 * `oneDocument`: the main area refuses a second widget, and activating a tab
 * below only shows the area, as Notebook 7.6's shell does.
 */
function fakeShell(oneDocument: boolean): IFakeShell {
  const main = new BoxPanel();
  const down = new TabPanel();
  const split = new SplitPanel({ orientation: 'vertical' });
  split.addWidget(main);
  split.addWidget(down);
  down.hide();
  Widget.attach(split, document.body);
  const shell = {
    add: (widget: Widget, area: string) => {
      if (area === 'main' && !(oneDocument && main.widgets.length)) {
        main.addWidget(widget);
      } else if (area === 'down') {
        down.addWidget(widget);
      }
    },
    activateById: (id: string) => {
      const widget = down.widgets.find(w => w.id === id);
      if (widget) {
        down.show();
        if (!oneDocument) {
          down.currentWidget = widget;
        }
      }
    }
  } as unknown as JupyterFrontEnd.IShell;
  return { shell, main, down, dispose: () => split.dispose() };
}

function view(id: string): Widget {
  const widget = new Widget();
  widget.id = id;
  return widget;
}

describe('openInMainArea', () => {
  let fake: IFakeShell;

  afterEach(() => fake.dispose());

  it('opens a view in the main area where the shell takes it', () => {
    fake = fakeShell(false);
    fake.main.addWidget(view('notebook'));
    const viewer = view('viewer');
    openInMainArea(fake.shell, viewer);
    expect(fake.main.widgets).toContain(viewer);
    expect(fake.down.widgets).toEqual([]);
  });

  it('opens a view below the notebook, in front, where the main area holds one notebook', () => {
    fake = fakeShell(true);
    const notebook = view('notebook');
    fake.main.addWidget(notebook);
    const plot = view('plot');
    const viewer = view('viewer');
    openInMainArea(fake.shell, plot);
    openInMainArea(fake.shell, viewer);
    expect(fake.main.widgets).toEqual([notebook]);
    expect(fake.down.widgets).toEqual([plot, viewer]);
    expect(fake.down.isVisible).toBe(true);
    expect(fake.down.currentWidget).toBe(viewer);

    // Opening the first again brings it back in front.
    openInMainArea(fake.shell, plot);
    expect(fake.down.widgets).toEqual([plot, viewer]);
    expect(fake.down.currentWidget).toBe(plot);
  });
});
