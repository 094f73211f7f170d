// Types of ./profile-split.mjs, for test/load-harness.test.ts.
import type { Row } from './matrix.mjs';

export type Category = 'corset' | 'peer' | 'floor' | 'gc' | 'idle' | 'rest';
export interface CallFrame {
  functionName: string;
  url: string;
}
/** The parts of a V8 `.cpuprofile` the split reads. */
export interface CpuProfile {
  startTime: number;
  nodes: { id: number; callFrame: CallFrame }[];
  samples: number[];
  timeDeltas: number[];
}
/** The frameworks of the Node rows, the ones profiled. */
export type ProfiledFramework = Exclude<Row['framework'], 'fetch'>;
export declare function category(framework: ProfiledFramework, frame: CallFrame): Category;
export declare function splitProfile(framework: ProfiledFramework, profile: CpuProfile, from: number, to: number): Record<Category, number>;
