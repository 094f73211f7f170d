// Types of ./policy.mjs, for test/load-harness.test.ts.
import type { CorsPolicyInit } from '../../src/types.js';

export declare const APP: string;
export declare const PREVIEW: string;
export declare const EVIL: string;
export declare const CORSET_POLICY: CorsPolicyInit;
export declare const CORS_OPTIONS: Record<string, unknown>;
export declare const HONO_CORS_OPTIONS: Record<string, unknown>;
export interface MixRequest {
  name: string;
  method: string;
  path: string;
  headers: Record<string, string>;
  acao: string | null;
  preflight?: boolean;
}
export declare const MIX: readonly MixRequest[];
export declare const BODY: string;
export declare function floorCors(
  method: string,
  origin: string | null | undefined,
  requestMethod: string | null | undefined,
): { preflight: boolean; headers: [string, string][] };
export declare function autocannonRequests(): { method: string; path: string; headers: Record<string, string> }[];
