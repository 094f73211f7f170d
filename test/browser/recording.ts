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

/**
 * The file a build's run is recorded in: one per release, `chromium-150.json`, `firefox-140.json`
 * (the major version), `webkit-2.50.json` (WebKitGTK's major.minor: its releases are 2.x).
 */
export function recordingName(engine: EngineName, version: string): string {
  const m = /\/([0-9]+)(\.[0-9]+)?/.exec(version);
  if (m === null) throw new Error(`no version number in ${JSON.stringify(version)}`);
  return `${engine}-${m[1]}${engine === 'webkit' ? (m[2] ?? '') : ''}.json`;
}

/** The major version in a driver's version string (`chromium/150.0.7871.100`: 150; `webkit/2.50.6`: 2). */
export function majorOf(version: string): number {
  const m = /\/([0-9]+)/.exec(version);
  if (m === null) throw new Error(`no version number in ${JSON.stringify(version)}`);
  return Number(m[1]);
}
