/**
 * An SVG sparkline, drawn in `currentColor` so it follows the theme and the
 * text colour of whatever holds it.
 */
import { Widget } from '@lumino/widgets';
import type { ISparklineBox } from './sparkline';
import { DEFAULT_BOX, sparkline } from './sparkline';

const SVG_NS = 'http://www.w3.org/2000/svg';

/**
 * Build the SVG of a series; an empty SVG when nothing is finite, so callers
 * need no special case.
 *
 * @param label Read by screen readers and shown as a tooltip; plain text.
 */
export function createSparkline(
  values: readonly number[],
  label: string,
  box: ISparklineBox = DEFAULT_BOX
): SVGSVGElement {
  const svg = document.createElementNS(SVG_NS, 'svg');
  svg.setAttribute('class', 'jp-MLDebuggerSparkline');
  svg.setAttribute('width', String(box.width));
  svg.setAttribute('height', String(box.height));
  svg.setAttribute('viewBox', `0 0 ${box.width} ${box.height}`);
  svg.setAttribute('role', 'img');
  svg.setAttribute('aria-label', label);
  const title = document.createElementNS(SVG_NS, 'title');
  title.textContent = label;
  svg.appendChild(title);

  const geometry = sparkline(values, box);
  if (!geometry) {
    return svg;
  }
  const line = document.createElementNS(SVG_NS, 'path');
  line.setAttribute('class', 'jp-MLDebuggerSparkline-line');
  line.setAttribute('d', geometry.path);
  line.setAttribute('fill', 'none');
  line.setAttribute('stroke', 'currentColor');
  line.setAttribute('stroke-width', '1');
  line.setAttribute('stroke-linejoin', 'round');
  svg.appendChild(line);

  const [x, y] = geometry.points[geometry.points.length - 1];
  const dot = document.createElementNS(SVG_NS, 'circle');
  dot.setAttribute('class', 'jp-MLDebuggerSparkline-last');
  dot.setAttribute('cx', String(x));
  dot.setAttribute('cy', String(y));
  dot.setAttribute('r', '1.5');
  dot.setAttribute('fill', 'currentColor');
  svg.appendChild(dot);
  return svg;
}

/**
 * A Lumino widget around `createSparkline`, for toolbars and panels that lay
 * out widgets rather than DOM nodes.
 */
export class Sparkline extends Widget {
  constructor(options: Sparkline.IOptions = {}) {
    super();
    this.addClass('jp-MLDebuggerSparkline-widget');
    this._box = options.box ?? DEFAULT_BOX;
    this.setData(options.values ?? [], options.label ?? '');
  }

  /** The series drawn, oldest first. */
  get values(): readonly number[] {
    return this._values;
  }

  /** Replace the series and its accessible label. */
  setData(values: readonly number[], label: string): void {
    this._values = [...values];
    this.node.replaceChildren(createSparkline(this._values, label, this._box));
  }

  private _box: ISparklineBox;
  private _values: number[] = [];
}

export namespace Sparkline {
  export interface IOptions {
    values?: readonly number[];
    label?: string;
    box?: ISparklineBox;
  }
}
