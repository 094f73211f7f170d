// The real-browser recordings replayed without a browser. test/browser/engines.test.ts holds each
// profile to the engine release installed on the machine; a release that is not installed any more
// (the current 'chromium' and 'firefox' profiles describe releases newer than the ones CI has) is
// held here to what it did when it was recorded (test/browser/recordings/<engine>-<release>.json).
// For every recording, every scenario of test/browser/scenarios.ts is predicted in Node by the
// page's own prediction code (test/browser/page.ts PREDICTOR, the same text the page runs) with the
// profile the registry gives that release (`'chromium@156'`: the current 'chromium'), on the
// answers the servers give (test/browser/harness.ts fillScenario / scenarioInput, with fixed ports
// written back as the recordings' templates), a fake clock across the waits of repeat fetches. Then,
// as in engines.test.ts: that profile must agree with the recording on every row (harness.ts
// disagreements), and the 'spec' profile must differ exactly on the rows deviationAt() marks for
// that release.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import * as corset from '../src/browser/index.js';
import { ENGINE_PROFILES } from '../src/precheck/engine-profiles.js';
import { profileOf } from '../src/precheck/profiles.js';
import type { EngineName } from './browser/driver.js';
import { disagreements, fillScenario, normaliser, scenarioInput, type Observed, type Ports, type Prediction, type ScenarioInput } from './browser/harness.js';
import { PREDICTOR } from './browser/page.js';
import { majorOf, recordingName, type Recording } from './browser/recording.js';
import { deviationAt, SCENARIOS, type Scenario } from './browser/scenarios.js';

// The browser bundles parse URLs with the platform's URL (scripts/build-browser.mjs swaps the
// backend); so does the replay.
vi.mock('../src/url/backend.js', async () => await import('../src/url/backend.browser.js'));

const DIR = path.join(process.cwd(), 'test', 'browser', 'recordings');
const FILES = readdirSync(DIR).filter((f) => f.endsWith('.json')).sort();

/** Ports the replay's URLs name (any two do: predictions are written back with the templates). */
const PORTS: Ports = { portA: 47011, portB: 47023 };
const normalise = normaliser(PORTS);

/** Clock of the replay (ms): the second fetch of a row comes its waitMs plus this after the first. */
const START = Date.UTC(2026, 0, 1);
const BETWEEN_FETCHES_MS = 20;

type Predictor = {
  fetchInits(input: ScenarioInput): NonNullable<Scenario['init']>[];
  predictEach(bundle: unknown, input: ScenarioInput, init: NonNullable<Scenario['init']>, caches: Record<string, unknown>, now: number): Record<string, Prediction>;
};

/** The page's prediction code, run as a document of `origin` at `href` would run it. */
function predictorIn(origin: string, href: string): Predictor {
  const make = new Function('self', 'location', 'Headers', `'use strict';\n${PREDICTOR}\nreturn { fetchInits, predictEach };`) as (
    self: { origin: string },
    location: { href: string },
    headers: typeof Headers,
  ) => Predictor;
  return make({ origin }, { href }, Headers);
}
const PAGE_URL = `http://127.0.0.1:${PORTS.portA}`;
const predictors = {
  page: predictorIn(PAGE_URL, `${PAGE_URL}/page.html`),
  sandbox: predictorIn('null', `${PAGE_URL}/sandbox.html`),
};

/** Each fetch of a scenario predicted with `profiles`, as the page predicts it, the ports written as templates. */
function predict(s: Scenario, engine: EngineName, profiles: readonly string[]): Record<string, Prediction>[] {
  // Through JSON, as the driver hands the input to the page.
  const input = JSON.parse(JSON.stringify(scenarioInput(s, fillScenario(s, PORTS), engine, profiles))) as ScenarioInput;
  const runner = predictors[input.from];
  const caches: Record<string, unknown> = {};
  let now = START;
  return runner.fetchInits(input).map((init, k) => {
    if (k > 0) now += (input.repeat?.waitMs ?? 0) + BETWEEN_FETCHES_MS;
    return JSON.parse(normalise(JSON.stringify(runner.predictEach(corset, input, init, caches, now)))) as Record<string, Prediction>;
  });
}

/** A recording's release: its engine, major version, and the profile name the registry resolves it to. */
function releaseOf(rec: Recording): { engine: EngineName; major: number; profile: string } {
  const major = majorOf(rec.version);
  const release = `${rec.engine}@${major}`;
  const resolved = profileOf(release);
  if (resolved === null) throw new Error(`${rec.version}: no profile ${release}`);
  // The current profile by its plain name ('chromium'), a release band by the release's name.
  return { engine: rec.engine, major, profile: resolved === profileOf(rec.engine) ? rec.engine : release };
}

corset.useEngineProfiles();
const RECORDINGS = FILES.map((file) => ({ file, rec: JSON.parse(readFileSync(path.join(DIR, file), 'utf8')) as Recording }));

describe('the recordings of real browsers', () => {
  it('are one per release, each named after its version', () => {
    expect(FILES.length).toBeGreaterThan(0);
    for (const { file, rec } of RECORDINGS) expect(recordingName(rec.engine, rec.version), file).toBe(file);
  });

  it("hold each engine's current profile and each of its release bands to some recording", () => {
    const held = new Set(RECORDINGS.map(({ rec }) => profileOf(releaseOf(rec).profile)));
    for (const p of ENGINE_PROFILES) {
      expect(held.has(p), `profile '${p.name}' (current) has a recording`).toBe(true);
      for (const band of p.releases ?? []) expect(held.has(band), `profile '${p.name}@${band.through}' has a recording`).toBe(true);
    }
  });

  it('record every scenario of the matrix, in order', () => {
    const want = SCENARIOS.map((s) => `${s.id} ${s.category} ${s.desc}`);
    for (const { file, rec } of RECORDINGS) {
      expect(rec.scenarios.map((r) => `${r.id} ${r.category} ${r.desc}`), `${file}: record the matrix again (npm run record:browsers)`).toEqual(want);
      rec.scenarios.forEach((r, i) => {
        expect(r.fetches.length, `${file} ${r.id}: fetches`).toBe(SCENARIOS[i]!.repeat ? 2 : 1);
      });
    }
  });
});

for (const { file, rec } of RECORDINGS) {
  const { engine, major, profile } = releaseOf(rec);
  describe(`replayed: ${file} (${rec.version}) with profile '${profile}'`, () => {
    const observed = new Map<string, Observed[]>(rec.scenarios.map((r) => [r.id, r.fetches]));
    const runs = SCENARIOS.filter((s) => observed.has(s.id)).map((s) => ({ s, predicted: predict(s, engine, [profile, 'spec']), seen: observed.get(s.id)! }));

    it(`'${profile}' predicts what ${rec.version} did, on every scenario`, () => {
      const wrong: string[] = [];
      for (const { s, predicted, seen } of runs) {
        seen.forEach((o, k) => {
          const d = disagreements(predicted[k]![profile]!, o, s, engine);
          if (d.length > 0) wrong.push(`${s.id} ${s.desc}${k > 0 ? ` (fetch ${k + 1})` : ''}:\n    ${d.join('\n    ')}`);
        });
      }
      expect(wrong, `profile ${profile} vs ${file}:\n  ${wrong.join('\n  ')}`).toEqual([]);
    });

    it(`'spec' differs from ${rec.version} exactly on the rows marked as its deviations at ${engine} ${major}`, () => {
      const wrong: string[] = [];
      for (const { s, predicted, seen } of runs) {
        const marked = deviationAt(s, engine, major) ?? undefined;
        const d = seen.flatMap((o, k) => disagreements(predicted[k]!['spec']!, o, s, engine));
        if (marked === undefined && d.length > 0) wrong.push(`${s.id} ${s.desc}: unexpected difference:\n    ${d.join('\n    ')}`);
        if (marked !== undefined && d.length === 0) wrong.push(`${s.id} ${s.desc}: marked ${marked}, but the standard's answer is ${engine}'s`);
      }
      expect(wrong, `profile spec vs ${file}:\n  ${wrong.join('\n  ')}`).toEqual([]);
    });
  });
}
