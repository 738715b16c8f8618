/**
 * The code the bridge runs on a subshell to load the probe.
 *
 * It executes the bootstrap source in a fresh dict, so nothing lands in the
 * user's namespace, and passes the embedded probe sources: the kernel uses them
 * only when its environment lacks this exact version of the package.
 */
import { BOOTSTRAP_SOURCE, PROBE_SOURCES, PROBE_VERSION } from './probeSource';

/**
 * Python source of one expression statement that boots the probe.
 *
 * JSON string and object literals are valid Python literals, which is why the
 * sources travel as JSON.
 */
export function bootstrapCode(): string {
  const src = JSON.stringify(BOOTSTRAP_SOURCE);
  const sources = JSON.stringify(PROBE_SOURCES);
  const version = JSON.stringify(PROBE_VERSION);
  return (
    `(lambda ns: (exec(compile(${src}, "<jupyterlab_ml_debugger bootstrap>", "exec"), ns), ` +
    `ns["boot"](${sources}, ${version}))[-1])({"__name__": "jupyterlab_ml_debugger_bootstrap"})`
  );
}
