// The recorded form of a run: what the engine did on each fetch of each scenario, with this run's
// ports written as templates, in scenario order, one scenario a line (so a diff names the row).
import type { EngineName } from './driver.js';
import type { Observed, ScenarioRun } from './harness.js';

export interface Recording {
  engine: EngineName;
  version: string;
  scenarios: { id: string; desc: string; category: string; fetches: Observed[] }[];
}

export function recordingOf(engine: EngineName, version: string, runs: readonly ScenarioRun[], normalise: (s: string) => string): Recording {
  return {
    engine,
    version,
    scenarios: runs.map((r) => ({
      id: r.scenario.id,
      desc: r.scenario.desc,
      category: r.scenario.category,
      fetches: r.fetches.map((f) => JSON.parse(normalise(JSON.stringify(f.observed))) as Observed),
    })),
  };
}

/** JSON with one scenario a line. */
export function serialiseRecording(r: Recording): string {
  const lines = r.scenarios.map((s) => `    ${JSON.stringify(s)}`);
  return `{\n  "engine": ${JSON.stringify(r.engine)},\n  "version": ${JSON.stringify(r.version)},\n  "scenarios": [\n${lines.join(',\n')}\n  ]\n}\n`;
}
