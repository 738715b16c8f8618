/**
 * Watches saved with the notebook: notebook metadata key
 * `jupyterlab-ml-debugger` holds `{"watches": [...]}`. Other keys under it
 * belong to other features and are kept.
 */
import type { ReadonlyPartialJSONValue } from '@lumino/coreutils';

/** The notebook metadata key of this extension. */
export const METADATA_KEY = 'jupyterlab-ml-debugger';

/** The part of a notebook model the watches are saved in. */
export interface IMetadataHolder {
  getMetadata(key: string): unknown;
  setMetadata(key: string, value: ReadonlyPartialJSONValue): void;
  deleteMetadata(key: string): void;
}

/** The saved watch expressions; [] when none or the metadata is not ours. */
export function readWatches(model: IMetadataHolder): string[] {
  const value = model.getMetadata(METADATA_KEY);
  if (!isObject(value) || !Array.isArray(value.watches)) {
    return [];
  }
  return value.watches.filter((w): w is string => typeof w === 'string');
}

/** Save the watch expressions, keeping the rest of our metadata. */
export function writeWatches(model: IMetadataHolder, watches: readonly string[]): void {
  const current = model.getMetadata(METADATA_KEY);
  const rest: Record<string, ReadonlyPartialJSONValue> = isObject(current)
    ? { ...(current as Record<string, ReadonlyPartialJSONValue>) }
    : {};
  delete rest.watches;
  if (watches.length > 0) {
    rest.watches = [...watches];
  }
  if (Object.keys(rest).length === 0) {
    if (current !== undefined) {
      model.deleteMetadata(METADATA_KEY);
    }
    return;
  }
  model.setMetadata(METADATA_KEY, rest);
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
