/**
 * Breakpoint actions on the wire: the spec `set_actions` takes and what it
 * and `validate` answer, mirrored from the ActionSpec and Validation
 * sections of jupyterlab_ml_debugger/probe/protocol.py.
 */

/** How a breakpoint's hits are counted: on hit n, from hit n on, or every nth. */
export interface IHitRule {
  mode: 'eq' | 'ge' | 'every';
  n: number;
}

/** One breakpoint's actions as the probe takes them (`set_actions`). */
export interface IActionSpec {
  id: string;
  condition: string | null;
  hit: IHitRule | null;
  log: string | null;
  record: string[];
  check_tensors: boolean;
  stop_when_changed: string | null;
  continue: boolean;
  once: boolean;
}

/** What `set_actions` kept, and why a spec was kept as broken. */
export interface ISetActions {
  ids: string[];
  errors: Record<string, string>;
}

/** Whether an expression or log template compiles, with the parser's message. */
export interface IValidation {
  ok: boolean;
  message: string | null;
  line: number | null;
  offset: number | null;
}
