/**
 * The module tree as rows: which modules are visible given the expanded
 * paths and a search, computed from the probe's pre-order list. Pure.
 */
import type { IModuleNode } from '../kernel/structureProtocol';

/** One visible row of the module tree. */
export interface IVisibleModule {
  node: IModuleNode;
  /** Whether the module has submodules (it can be expanded). */
  hasChildren: boolean;
  /** Whether its submodules are shown. */
  expanded: boolean;
  /** Whether it matches the search (false when there is no search). */
  match: boolean;
}

/** The paths expanded at first: the root and its children, so a big model opens small. */
export function defaultExpanded(modules: readonly IModuleNode[]): Set<string> {
  return new Set(modules.filter(m => m.depth <= 1).map(m => m.path));
}

/** Whether the module at `index` has submodules right after it. */
export function hasChildren(modules: readonly IModuleNode[], index: number): boolean {
  const next = modules[index + 1];
  return next !== undefined && next.depth > modules[index].depth;
}

/** Whether a module matches a search: its path or class name contains the text. */
export function matches(node: IModuleNode, query: string): boolean {
  const q = query.trim().toLowerCase();
  return q !== '' && (node.path.toLowerCase().includes(q) || node.cls.toLowerCase().includes(q));
}

/**
 * The visible rows. Without a search, a module shows when every ancestor is
 * expanded. With one, the matching modules show with all their ancestors
 * (so a deep module is revealed), whatever is expanded.
 */
export function visibleModules(
  modules: readonly IModuleNode[],
  expanded: ReadonlySet<string>,
  query: string
): IVisibleModule[] {
  return query.trim() ? searched(modules, query) : browsed(modules, expanded);
}

function browsed(modules: readonly IModuleNode[], expanded: ReadonlySet<string>): IVisibleModule[] {
  const rows: IVisibleModule[] = [];
  // Modules deeper than this are inside a collapsed ancestor.
  let hiddenBelow = Infinity;
  modules.forEach((node, index) => {
    if (node.depth > hiddenBelow) {
      return;
    }
    hiddenBelow = Infinity;
    const children = hasChildren(modules, index);
    const open = children && expanded.has(node.path);
    rows.push({ node, hasChildren: children, expanded: open, match: false });
    if (children && !open) {
      hiddenBelow = node.depth;
    }
  });
  return rows;
}

function searched(modules: readonly IModuleNode[], query: string): IVisibleModule[] {
  const shown = new Set<number>();
  // Ancestors of a match show opened, whichever of their children it is under.
  const opened = new Set<number>();
  const ancestors: number[] = [];
  modules.forEach((node, index) => {
    while (ancestors.length && modules[ancestors[ancestors.length - 1]].depth >= node.depth) {
      ancestors.pop();
    }
    if (matches(node, query)) {
      shown.add(index);
      ancestors.forEach(a => {
        shown.add(a);
        opened.add(a);
      });
    }
    ancestors.push(index);
  });
  return [...shown]
    .sort((a, b) => a - b)
    .map(index => ({
      node: modules[index],
      hasChildren: hasChildren(modules, index),
      expanded: opened.has(index),
      match: matches(modules[index], query)
    }));
}

/** A shape as the user writes it: `[64, 3, 7, 7]`. */
export function formatShape(shape: readonly number[] | string): string {
  return typeof shape === 'string' ? shape : `[${shape.join(', ')}]`;
}

/** A parameter count the way torchinfo prints it: 1,234,567. */
export function formatCount(n: number): string {
  return n.toLocaleString('en-US');
}
