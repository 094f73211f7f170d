// `npm run record:browsers`: run the scenario matrix in every engine on this machine (or those
// CORSET_BROWSERS names) TWICE, check that the two recordings are byte-identical once this run's
// ports are written as templates, and write test/browser/recordings/<engine>-<release>.json (one
// file per release, ./recording.ts recordingName): what the engine did on every fetch of every
// scenario (the requests that reached the servers, hop by hop, and what fetch() gave the page). The
// suite (./engines.test.ts) compares a live run of the same build with that file.
//
//   npm run record:browsers                 # all engines present; exit 1 if a run is not reproducible
//   CORSET_BROWSERS=firefox npm run record:browsers
//   npm run record:browsers -- --report     # also print where each profile disagrees with the engine
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { allDrivers } from './drivers.js';
import { disagreements, ROOT, startHarness } from './harness.js';
import { recordingName, recordingOf, serialiseRecording, type Recording } from './recording.js';
import { SCENARIOS } from './scenarios.js';

const report = process.argv.includes('--report');
const once = process.argv.includes('--once');
let failed = false;
for (const driver of await allDrivers()) {
  if (!driver.available()) {
    console.error(`*** ${driver.engine}: ${driver.executable} not found (${driver.installHint}): not recorded ***`);
    if (process.env['CI'] === 'true') failed = true;
    continue;
  }
  const texts: string[] = [];
  for (let round = 0; round < (once ? 1 : 2); round++) {
    const started = Date.now();
    const harness = await startHarness();
    const session = await driver.launch();
    try {
      await session.open(harness.pageUrl);
      // The engine's profiles, its release's among them (`chromium@150`), as the suite predicts with.
      const release = `${driver.engine}@${/\/([0-9]+)/.exec(session.version)?.[1]}`;
      const profiles = await session.evaluate<string[]>(
        `(names) => names.filter((p) => self.corsetBundles.index.planFetch(self.origin, { url: '/x' }, { profile: p }).error !== 'unknown-profile')`,
        ['spec', 'chromium', 'firefox', 'webkit', release],
      );
      const runs = await harness.run(session, driver.engine, SCENARIOS, profiles);
      texts.push(serialiseRecording(recordingOf(driver.engine, session.version, runs, harness.normalise)));
      console.log(`${driver.engine} (${session.version}) run ${round + 1}: ${runs.length} scenarios in ${((Date.now() - started) / 1000).toFixed(1)} s`);
      if (report && round === 0) {
        // Per profile: the rows it predicts exactly, by category; then each row it does not.
        const categories = [...new Set(runs.map((r) => r.scenario.category))];
        const table: string[] = [`| category | rows | ${profiles.join(' | ')} |`, `| --- | --- |${profiles.map(() => ' --- |').join('')}`];
        const lines: string[] = [];
        const agree = (profile: string, r: (typeof runs)[number]): string[] =>
          r.fetches.flatMap((f, k) => disagreements(f.predictions[profile]!, f.observed, r.scenario, driver.engine).map((d) => `${k > 0 ? `(fetch ${k + 1}) ` : ''}${d}`));
        for (const c of [...categories, 'total']) {
          const rows = c === 'total' ? runs : runs.filter((r) => r.scenario.category === c);
          table.push(`| ${c} | ${rows.length} | ${profiles.map((p) => rows.filter((r) => agree(p, r).length === 0).length).join(' | ')} |`);
        }
        for (const profile of profiles) {
          for (const r of runs) {
            const d = agree(profile, r);
            if (d.length > 0) lines.push(`  ${profile}: ${r.scenario.id} ${r.scenario.desc} [${r.scenario.deviations?.[driver.engine] ?? 'unmarked'}]: ${d.join('; ')}`);
          }
        }
        console.log(`${driver.engine}: rows each profile predicts exactly\n${table.join('\n')}`);
        for (const l of lines) console.log(l);
      }
    } finally {
      await session.close();
      await harness.close();
    }
  }
  if (texts.length === 2 && texts[0] !== texts[1]) {
    const a = texts[0]!.split('\n');
    const b = texts[1]!.split('\n');
    const diff = a.flatMap((line, i) => (line === b[i] ? [] : [`  line ${i + 1}:\n    run 1: ${line}\n    run 2: ${b[i]}`])).slice(0, 20);
    console.error(`*** ${driver.engine}: the two runs differ (not reproducible):\n${diff.join('\n')}`);
    failed = true;
    continue;
  }
  const dir = path.join(ROOT, 'test', 'browser', 'recordings');
  mkdirSync(dir, { recursive: true });
  const name = recordingName(driver.engine, (JSON.parse(texts[0]!) as Recording).version);
  writeFileSync(path.join(dir, name), texts[0]!);
  console.log(`${driver.engine}: ${texts.length === 2 ? 'two runs byte-identical; ' : ''}wrote test/browser/recordings/${name}`);
}
process.exit(failed ? 1 : 0);
