/**
 * Exception breakpoints narrowed to exception types, as debugpy takes them.
 *
 * Pure: builds the `setExceptionBreakpoints` arguments from JupyterLab's
 * current filters and the types the user listed.
 */

/** The arguments of a DAP `setExceptionBreakpoints` request, as debugpy reads them. */
export interface IExceptionBreakpointArgs {
  filters: string[];
  exceptionOptions?: {
    path: { names: string[] }[];
    breakMode: 'always' | 'unhandled' | 'userUnhandled';
  }[];
}

/** debugpy's name for the category of Python exceptions in an exception path. */
const PYTHON_EXCEPTIONS = 'Python Exceptions';

/** A Python dotted name: `FloatingPointError`, `torch.cuda.OutOfMemoryError`. */
const TYPE_NAME = /^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*$/;

/**
 * Parse the user's list of exception types (commas or whitespace between
 * them); returns the names and the entries that are not Python names.
 */
export function parseExceptionTypes(text: string): {
  types: string[];
  invalid: string[];
} {
  const entries = text
    .split(/[\s,]+/)
    .map(entry => entry.trim())
    .filter(entry => entry.length > 0);
  const types = [...new Set(entries.filter(entry => TYPE_NAME.test(entry)))];
  return { types, invalid: entries.filter(entry => !TYPE_NAME.test(entry)) };
}

/**
 * Arguments that keep JupyterLab's filters and add a stop wherever an
 * exception of one of `types` is raised, handled or not.
 */
export function exceptionBreakpointArgs(
  filters: readonly string[],
  types: readonly string[]
): IExceptionBreakpointArgs {
  const args: IExceptionBreakpointArgs = { filters: [...filters] };
  if (types.length > 0) {
    args.exceptionOptions = [
      {
        path: [{ names: [PYTHON_EXCEPTIONS] }, { names: [...types] }],
        breakMode: 'always'
      }
    ];
  }
  return args;
}

/**
 * The filters a notebook starts with: stop where a cell does not handle an
 * exception. `uncaught` never fires in a notebook (IPython catches every
 * exception a cell raises), so `userUnhandled` is the one that does.
 */
export const DEFAULT_EXCEPTION_FILTERS: readonly string[] = ['userUnhandled'];
