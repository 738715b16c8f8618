/**
 * WCAG contrast of the texts of one of our views, measured in the page as a
 * person sees them: each text's colour, with its alpha and every ancestor's
 * opacity, composited over the backgrounds behind it, against those
 * backgrounds alone.
 */
import { expect } from '@jupyterlab/galata';
import type { Locator } from '@playwright/test';

/** One text of ours and its contrast against what is behind it. */
export interface ITextContrast {
  /** The element's own classes, or its tag with the classes of the closest classed ancestor. */
  where: string;
  /** The text, cut to 40 characters. */
  text: string;
  /** The text's colour as painted, `rgb(r, g, b)`. */
  color: string;
  /** The background as painted, `rgb(r, g, b)`. */
  background: string;
  /** WCAG contrast ratio, rounded to two decimals. */
  ratio: number;
}

/** WCAG's level AA for normal-sized text, asked of every text of ours, large ones too. */
export const AA_RATIO = 4.5;

/**
 * Measures every text of ours under `root`. Runs in the page: it must not
 * use anything from this module's scope.
 *
 * A text is ours when the closest element with a class, the text's element
 * itself included, has a class starting `jp-MLDebugger`: JupyterLab's own
 * components inside our views (toolbar buttons) are JupyterLab's to colour.
 * A text is a non-empty direct text node of a rendered element, or the value
 * or placeholder of a text field (WCAG's 1.4.3 does not exempt placeholders).
 * Excluded, as WCAG 1.4.3 excludes "text that is part of an inactive user
 * interface component": disabled controls and what they contain.
 */
export function measureTexts(root: Element): ITextContrast[] {
  type RGBA = [number, number, number, number];

  const probe = document.createElement('canvas').getContext('2d')!;
  /** Any CSS colour to RGBA, alpha 0..1; the canvas normalises every syntax. */
  const parse = (css: string): RGBA => {
    const m = css.match(
      /^rgba?\(\s*([\d.]+)[\s,]+([\d.]+)[\s,]+([\d.]+)(?:[\s,/]+([\d.]+%?))?\s*\)$/
    );
    if (m) {
      const alpha = m[4] ?? '1';
      const a = alpha.endsWith('%') ? parseFloat(alpha) / 100 : parseFloat(alpha);
      return [+m[1], +m[2], +m[3], a];
    }
    probe.clearRect(0, 0, 1, 1);
    probe.fillStyle = '#000';
    probe.fillStyle = css;
    probe.fillRect(0, 0, 1, 1);
    const [r, g, b, a] = probe.getImageData(0, 0, 1, 1).data;
    return [r, g, b, a / 255];
  };
  /** `top` over `bottom`, both premultiplied. */
  const over = (top: RGBA, bottom: RGBA): RGBA => [
    top[0] + bottom[0] * (1 - top[3]),
    top[1] + bottom[1] * (1 - top[3]),
    top[2] + bottom[2] * (1 - top[3]),
    top[3] + bottom[3] * (1 - top[3])
  ];
  const premultiply = ([r, g, b, a]: RGBA): RGBA => [r * a, g * a, b * a, a];
  const scale = (c: RGBA, k: number): RGBA => [c[0] * k, c[1] * k, c[2] * k, c[3] * k];

  // What is behind everything: the theme's first layout colour.
  const page = parse(
    getComputedStyle(document.body).getPropertyValue('--jp-layout-color1').trim() || '#fff'
  );

  /** The colour painted where `el` shows `ink` (null: its backgrounds alone). */
  const painted = (el: Element, ink: RGBA | null): RGBA => {
    let layer: RGBA = ink ? premultiply(ink) : [0, 0, 0, 0];
    for (let node: Element | null = el; node; node = node.parentElement) {
      const style = getComputedStyle(node);
      layer = over(layer, premultiply(parse(style.backgroundColor)));
      layer = scale(layer, parseFloat(style.opacity));
    }
    const [r, g, b] = over(layer, premultiply([page[0], page[1], page[2], 1]));
    return [r, g, b, 1];
  };
  const luminance = ([r, g, b]: RGBA): number => {
    const lin = (v: number) => {
      const s = v / 255;
      return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
    };
    return 0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(b);
  };
  const ratio = (a: RGBA, b: RGBA): number => {
    const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x);
    return (hi + 0.05) / (lo + 0.05);
  };
  const css = ([r, g, b]: RGBA) => `rgb(${Math.round(r)}, ${Math.round(g)}, ${Math.round(b)})`;

  const ours = (el: Element): boolean => {
    for (let node: Element | null = el; node; node = node.parentElement) {
      if (node.classList.length > 0) {
        return [...node.classList].some(c => c.startsWith('jp-MLDebugger'));
      }
    }
    return false;
  };
  const inactive = (el: Element): boolean =>
    el.closest(':disabled, [aria-disabled="true"]') !== null;
  const rendered = (el: Element): boolean =>
    el.checkVisibility({ opacityProperty: true, visibilityProperty: true }) &&
    el.getClientRects().length > 0;
  const classes = (el: Element): string => {
    if (el.classList.length > 0) {
      return [...el.classList].join('.');
    }
    let node = el.parentElement;
    while (node && node.classList.length === 0) {
      node = node.parentElement;
    }
    return `${node ? [...node.classList].join('.') : ''} ${el.tagName.toLowerCase()}`;
  };

  const results: ITextContrast[] = [];
  const measure = (el: Element, text: string, color: string, where = classes(el)) => {
    const fg = painted(el, parse(color));
    const bg = painted(el, null);
    results.push({
      where,
      text: text.length > 40 ? `${text.slice(0, 39)}…` : text,
      color: css(fg),
      background: css(bg),
      ratio: Math.round(ratio(fg, bg) * 100) / 100
    });
  };

  for (const el of [root, ...root.querySelectorAll('*')]) {
    if (!ours(el) || inactive(el) || !rendered(el)) {
      continue;
    }
    if (el instanceof HTMLInputElement || el instanceof HTMLTextAreaElement) {
      if (el instanceof HTMLInputElement && !['text', 'search', 'number', ''].includes(el.type)) {
        continue;
      }
      if (el.value !== '') {
        measure(el, el.value, getComputedStyle(el).color);
      } else if (el.placeholder !== '') {
        const color = getComputedStyle(el, '::placeholder').color;
        measure(el, el.placeholder, color, `${classes(el)}::placeholder`);
      }
      continue;
    }
    if (el instanceof HTMLSelectElement) {
      const text = el.selectedOptions[0]?.textContent?.trim() ?? '';
      if (text !== '') {
        measure(el, text, getComputedStyle(el).color);
      }
      continue;
    }
    if (el instanceof HTMLOptionElement) {
      continue;
    }
    const text = [...el.childNodes]
      .filter(n => n.nodeType === Node.TEXT_NODE)
      .map(n => n.textContent ?? '')
      .join('')
      .trim();
    if (text === '') {
      continue;
    }
    // SVG text is painted with `fill`, not `color`.
    const style = getComputedStyle(el);
    measure(el, text, el instanceof SVGElement ? style.fill : style.color);
  }
  return results;
}

/**
 * Expects every text of ours in the view to reach WCAG AA; the failure lists
 * each text that does not, with its colours and ratio. Returns what was
 * measured.
 */
export async function expectReadable(view: Locator, label: string): Promise<ITextContrast[]> {
  const texts = await view.evaluate(measureTexts);
  expect(texts.length, `${label}: no text of ours was found to measure`).toBeGreaterThan(0);
  const failing = texts
    .filter(t => t.ratio < AA_RATIO)
    .map(t => `  ${t.where} "${t.text}": ${t.color} on ${t.background} = ${t.ratio}`);
  // Soft: the other theme and views are still measured and photographed.
  const message = `${label}: texts below WCAG AA (${AA_RATIO}:1)\n${failing.join('\n')}`;
  expect.soft(failing, message).toEqual([]);
  return texts;
}
