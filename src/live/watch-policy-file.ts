// watchPolicyFile (DESIGN.md, "Origins that change at runtime"): a policy file edited on disk is
// reloaded into a live policy. The directory is watched, not the file: editors and deploy tools
// often write a new file and rename it over the old one, which a watch on the old file would
// miss. Changes are debounced; each reload reads, parses and `update()`s in one go, so the swap
// is atomic, and an edit that does not parse or validate keeps the running policy and is
// reported with every problem (PolicyError.issues).
import { readFileSync, watch, type FSWatcher } from 'node:fs';
import path from 'node:path';
import type { CorsPolicyInit } from '../types.js';
import type { LivePolicy } from './live-policy.js';
import { PolicyError } from '../policy/issues.js';
import { describeType } from '../arguments.js';

/** The options of `watchPolicyFile`. */
export interface WatchPolicyFileOptions {
  /** Quiet time after the last change before reloading. Default 50 ms. */
  debounceMs?: number;
  /** After a successful reload, with the live policy's new version. */
  onReload?: (version: number) => void;
  /**
   * A reload that failed: a PolicyError (every problem in `err.issues`), a SyntaxError for a file
   * that is not JSON, or the read error. The running policy is unchanged. Default: a process warning.
   */
  onError?: (err: Error) => void;
}

/** A running `watchPolicyFile`. */
export interface PolicyFileWatcher {
  /** Stop watching; the live policy keeps what it has. */
  close(): void;
}

/**
 * Reload `file` (a JSON policy) into `live` whenever it changes, after a quiet time: a valid file
 * is swapped in with `live.update`; a bad one is reported to `onError` and the running policy stays.
 */
export function watchPolicyFile(file: string, live: LivePolicy, options: WatchPolicyFileOptions = {}): PolicyFileWatcher {
  if (typeof file !== 'string' || file === '') {
    throw new TypeError(`corset: watchPolicyFile(path): path must be a file name, got ${describeType(file)}`);
  }
  if (live === null || typeof live !== 'object' || typeof live.update !== 'function') {
    throw new TypeError(`corset: watchPolicyFile(path, live): live must be a LivePolicy (createLivePolicy), got ${describeType(live)}`);
  }
  const debounceMs = options.debounceMs ?? 50;
  const onReload = options.onReload ?? (() => {});
  const onError =
    options.onError ??
    ((err: Error) => {
      const detail = err instanceof PolicyError ? err.issues.map((i) => i.message).join('\n') : err.message;
      process.emitWarning(`corset: ${file}: the edit was not applied, the running policy stays:\n${detail}`);
    });
  const absolute = path.resolve(file);
  const dir = path.dirname(absolute);
  const base = path.basename(absolute);
  let last: string | null = null; // the text last applied or refused: an unchanged file is not reloaded
  try {
    last = readFileSync(absolute, 'utf8');
  } catch {
    last = null;
  }

  function reload(): void {
    let text: string;
    try {
      text = readFileSync(absolute, 'utf8');
    } catch (err) {
      // Gone for a moment (a rename in progress): the next event reloads it.
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return;
      onError(err as Error);
      return;
    }
    if (text === last) return;
    last = text;
    let init: CorsPolicyInit;
    try {
      init = JSON.parse(text) as CorsPolicyInit;
    } catch (err) {
      onError(new SyntaxError(`corset: ${file} is not valid JSON: ${(err as Error).message}`));
      return;
    }
    try {
      live.update(init);
    } catch (err) {
      onError(err as Error);
      return;
    }
    onReload(live.version);
  }

  let timer: ReturnType<typeof setTimeout> | null = null;
  const watcher: FSWatcher = watch(dir, { persistent: false }, (_event, name) => {
    if (name !== null && name !== base) return;
    if (timer !== null) clearTimeout(timer);
    timer = setTimeout(() => {
      timer = null;
      reload();
    }, debounceMs);
  });
  watcher.on('error', (err) => onError(err));
  return {
    close(): void {
      if (timer !== null) clearTimeout(timer);
      watcher.close();
    },
  };
}
