// Types of ./worker-size.mjs, for the tests that import it.
import type { Metafile } from 'esbuild';
import type { CorsPolicyInit } from '../src/types.js';

export declare const WRANGLER_CONDITIONS: string[];
export interface WorkerSpec {
  what: string;
  source(policyFile: string, init: CorsPolicyInit): string;
}
export declare const WORKERS: Record<'edge' | 'fetch-compiled' | 'hono-loaded' | 'hono-compiled' | 'hono-bare' | 'fetch-init' | 'root-and-fetch', WorkerSpec>;
export declare const EXAMPLE_POLICY: CorsPolicyInit;
export interface WorkerModule {
  name: string;
  bytes: Buffer;
}
export interface WorkerBundle {
  script: WorkerModule;
  wasm: WorkerModule[];
  metafile: Metafile;
}
export declare function bundleWorker(options: { source: string; outdir: string; minify?: boolean }): Promise<WorkerBundle>;
export declare function wranglerGzipSize(bundle: Pick<WorkerBundle, 'script' | 'wasm'>): number;
export interface WorkerSize {
  name: string;
  what: string;
  scriptBytes: number;
  wasmBytes: number;
  gzip: number;
  gzipMinified: number;
}
export declare function measureWorkers(init?: CorsPolicyInit): Promise<WorkerSize[]>;
