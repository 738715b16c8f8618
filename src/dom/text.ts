/**
 * Elements that hold text only: every value from the kernel goes into the
 * page through textContent, never as HTML.
 */

/** An element of `tag` with a class and text. */
export function textNode(tag: string, className: string, content: string): HTMLElement {
  const node = document.createElement(tag);
  node.className = className;
  node.textContent = content;
  return node;
}

/** A table of text cells; no header row when `head` is empty. */
export function textTable(className: string, head: readonly string[], rows: readonly string[][]): HTMLElement {
  const table = document.createElement('table');
  table.className = className;
  if (head.length) {
    const tr = table.createTHead().insertRow();
    head.forEach(h => {
      const th = document.createElement('th');
      th.textContent = h;
      tr.appendChild(th);
    });
  }
  const body = table.createTBody();
  rows.forEach(cells => {
    const row = body.insertRow();
    cells.forEach(c => {
      row.insertCell().textContent = c;
    });
  });
  return table;
}
