// Types of ./matrix.mjs, for test/load-harness.test.ts.
import type { ChildProcess } from 'node:child_process';

export declare const root: string;
export interface Row {
  id: string;
  label: string;
  runtime: 'node' | 'deno' | 'bun';
  framework: 'http' | 'express' | 'fastify' | 'hono' | 'fetch';
  peer: string | null;
  corset: string;
}
export type Variant = 'none' | 'floor' | 'peer' | 'corset';
export declare const ROWS: Row[];
export declare function variantsOf(row: Row): Variant[];
export declare function selectRows(only: string | undefined): Row[];
export declare function findBinary(runtime: Row['runtime']): string | null;
export declare function runtimeVersion(runtime: Row['runtime'], bin: string): string;
/** `cpuProfDir`: run a Node server under --cpu-prof, writing its profile there; `cpuProfIntervalMicros`: V8's sampling interval (default 1000). */
export interface ServerOptions {
  memory?: boolean;
  cpuProfDir?: string;
  cpuProfIntervalMicros?: number;
}
export declare function command(row: Row, variant: Variant, bin: string, options?: ServerOptions): { bin: string; args: string[] };
export interface LoadServer {
  row: Row;
  variant: Variant;
  child: ChildProcess;
  pid: number;
  port: number;
}
export declare const live: Set<LoadServer>;
export declare function startServer(row: Row, variant: Variant, bin: string, options?: ServerOptions): Promise<LoadServer>;
export declare function stopServer(server: LoadServer): Promise<void>;
export declare function stopServerGracefully(server: LoadServer, graceMs?: number): Promise<void>;
export declare function stopAllNow(): void;
export declare function checkServer(server: LoadServer): Promise<void>;
export declare function cpuSeconds(pid: number): number | null;
