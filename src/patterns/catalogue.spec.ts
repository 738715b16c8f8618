import type { Contents } from '@jupyterlab/services';
import { nullTranslator } from '@jupyterlab/translation';
import { CommandRegistry } from '@lumino/commands';
import { PatternCatalogue } from './catalogue';
import { builtinPatterns, PatternRegistry } from './registry';

const trans = nullTranslator.load('jupyterlab_ml_debugger');
const CLASS = 'jp-MLDebuggerPatterns';

/** A server whose folder holds `files`, answering as the contents API does. */
function server(files: string[]): PatternCatalogue.IContents {
  return {
    get: (path: string) =>
      files.includes(path)
        ? Promise.resolve({ path, type: 'notebook' } as Contents.IModel)
        : Promise.reject(new Error(`No such file or directory: ${path}`))
  };
}

function setup(files: string[]) {
  const patterns = new PatternRegistry({ patterns: builtinPatterns(trans) });
  const commands = new CommandRegistry();
  const opened: string[] = [];
  const fragments: string[] = [];
  commands.addCommand('docmanager:open', {
    // Like JupyterLab's, it resolves to the document widget, which scrolls to a fragment.
    execute: args => {
      opened.push(String(args.path));
      return { setFragment: (fragment: string) => fragments.push(fragment) };
    }
  });
  const catalogue = new PatternCatalogue({ patterns, commands, contents: server(files) });
  return { patterns, catalogue, opened, fragments };
}

const settle = () => new Promise(resolve => setTimeout(resolve, 0));

function item(catalogue: PatternCatalogue, id: string): HTMLElement {
  const node = catalogue.node.querySelector<HTMLElement>(`.${CLASS}-pattern[data-id="${id}"]`);
  if (!node) {
    throw new Error(`no entry for ${id}`);
  }
  return node;
}

function texts(catalogue: PatternCatalogue, part: string): string[] {
  return Array.from(catalogue.node.querySelectorAll(`.${CLASS}-${part}`)).map(n => n.textContent ?? '');
}

describe('PatternCatalogue', () => {
  it('lists all 23 patterns in vocabulary order, each with its section and notebook', () => {
    const { catalogue } = setup([]);
    expect(texts(catalogue, 'name')).toEqual(builtinPatterns(trans).map(p => p.name));
    expect(texts(catalogue, 'name')).toHaveLength(23);
    const postmortem = item(catalogue, PatternRegistry.POSTMORTEM);
    expect(postmortem.querySelector(`.${CLASS}-section`)?.textContent).toBe('Shown in: Exceptions');
    expect(postmortem.querySelector(`.${CLASS}-open`)?.textContent).toBe('10-postmortem.ipynb');
    expect(texts(catalogue, 'open')[3]).toBe('01-variable-value.ipynb');
    catalogue.dispose();
  });

  it('greys planned patterns and offers their notebook once a section marks them available', () => {
    const { patterns, catalogue } = setup([]);
    const planned = () => Array.from(catalogue.node.querySelectorAll<HTMLElement>(`.${CLASS}-planned`)).map(n => n.dataset.id);
    expect(planned()).not.toContain(PatternRegistry.VARIABLE_VALUE);
    expect(planned()).toContain(PatternRegistry.POSTMORTEM);
    const entry = item(catalogue, PatternRegistry.POSTMORTEM);
    expect(entry.querySelector(`.${CLASS}-badge`)?.textContent).toBe('planned');
    expect(entry.querySelector<HTMLButtonElement>(`.${CLASS}-open`)?.disabled).toBe(true);
    patterns.markAvailable(PatternRegistry.POSTMORTEM);
    expect(planned()).not.toContain(PatternRegistry.POSTMORTEM);
    expect(item(catalogue, PatternRegistry.POSTMORTEM).querySelector<HTMLButtonElement>(`.${CLASS}-open`)?.disabled).toBe(false);
    catalogue.dispose();
  });

  it('opens a notebook at the path the server has: inside examples/ or at its root', async () => {
    const root = setup(['01-variable-value.ipynb']);
    item(root.catalogue, PatternRegistry.VARIABLE_VALUE).querySelector<HTMLElement>(`.${CLASS}-open`)?.click();
    await settle();
    expect(root.opened).toEqual(['01-variable-value.ipynb']);
    const repo = setup(['examples/01-variable-value.ipynb']);
    item(repo.catalogue, PatternRegistry.VARIABLE_VALUE).querySelector<HTMLElement>(`.${CLASS}-open`)?.click();
    await settle();
    expect(repo.opened).toEqual(['examples/01-variable-value.ipynb']);
    expect(repo.fragments).toEqual([]);
    root.catalogue.dispose();
    repo.catalogue.dispose();
  });

  it('opens Sensitive Data Exposure at its own section of the Variable Value notebook', async () => {
    const { catalogue, opened, fragments } = setup(['01-variable-value.ipynb']);
    const entry = item(catalogue, PatternRegistry.SENSITIVE_DATA_EXPOSURE);
    expect(entry.classList).not.toContain(`${CLASS}-planned`);
    expect(entry.querySelector(`.${CLASS}-section`)?.textContent).toBe(
      'Shown in: Variable Values, Watch and Trace'
    );
    entry.querySelector<HTMLElement>(`.${CLASS}-open`)?.click();
    await settle();
    expect(opened).toEqual(['01-variable-value.ipynb']);
    expect(fragments).toEqual(['#cell-id=sensitive-data-exposure']);
    catalogue.dispose();
  });

  it("says when the server's folder has no such notebook, and opens nothing", async () => {
    const { catalogue, opened } = setup(['elsewhere.ipynb']);
    item(catalogue, PatternRegistry.VARIABLE_VALUE).querySelector<HTMLElement>(`.${CLASS}-open`)?.click();
    await settle();
    expect(opened).toEqual([]);
    expect(item(catalogue, PatternRegistry.VARIABLE_VALUE).querySelector(`.${CLASS}-note`)?.textContent).toBe(
      "examples/01-variable-value.ipynb was not found in this server's folder."
    );
    catalogue.dispose();
  });
});
