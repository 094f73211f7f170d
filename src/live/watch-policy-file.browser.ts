// The browser build's watchPolicyFile: a page has no file system to watch. Same signature as
// ./watch-policy-file.ts, so the browser root exports what the Node root does.
import type { LivePolicy } from './live-policy.js';
import type { PolicyFileWatcher, WatchPolicyFileOptions } from './watch-policy-file.js';

export type { PolicyFileWatcher, WatchPolicyFileOptions } from './watch-policy-file.js';

export function watchPolicyFile(_file: string, _live: LivePolicy, _options?: WatchPolicyFileOptions): PolicyFileWatcher {
  throw new Error('corset: watchPolicyFile needs a file system (Node); in a page, call live.update(init) instead');
}
