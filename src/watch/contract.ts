/**
 * A watch may carry a shape contract after `::`, as in `images :: B 3 H W`:
 * the probe checks the value's shape against it, with named dimensions that
 * must agree across every watch. Pure.
 */

/** The expression and its contract (null without one). */
export interface IWatchText {
  expression: string;
  contract: string | null;
}

const SEPARATOR = '::';

/** Split a watch's text into its expression and its contract. */
export function splitContract(text: string): IWatchText {
  const at = text.lastIndexOf(SEPARATOR);
  if (at < 0) {
    return { expression: text.trim(), contract: null };
  }
  const contract = text.slice(at + SEPARATOR.length).trim();
  // `a[::2]` is slicing, not a contract: a contract holds names, numbers and `*` only.
  if (!/^[A-Za-z0-9_*\s]*$/.test(contract)) {
    return { expression: text.trim(), contract: null };
  }
  return { expression: text.slice(0, at).trim(), contract };
}

/** The `watch` request's expressions and contracts for the watches' texts. */
export function watchRequest(texts: readonly string[]): {
  expressions: string[];
  contracts: Record<string, string>;
} {
  const contracts: Record<string, string> = {};
  const expressions = texts.map(text => {
    const { expression, contract } = splitContract(text);
    if (contract !== null) {
      contracts[expression] = contract;
    }
    return expression;
  });
  return { expressions, contracts };
}
