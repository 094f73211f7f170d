// The precheck against real browsers: every engine with a driver (./driver.ts) on this machine
// runs every scenario of ./scenarios.ts through ./harness.ts. For each engine:
//   - its own profile must predict exactly what the engine did: the requests that reached the
//     servers hop by hop (preflights with their Origin, Access-Control-Request-Method and -Headers;
//     the requests with their method, and their Origin where the request went to another origin),
//     whether fetch() resolved, the response type, status (redirect rows) and the header names a
//     script can read, same-origin/same-site (against the Sec-Fetch-Site header it sent), and, where
//     the driver reports it (Chromium), the engine's CORS error name;
//   - the 'spec' profile must predict the same, except on the rows marked with a deviation of that
//     engine, where it must differ (so each documented deviation is shown to be real, and no other
//     exists in the matrix).
// "Its own profile" is the engine's at the installed major version (`'chromium@150'`): a release
// band of the profile where that release behaves otherwise, and the rows' deviations that only
// some releases show (./scenarios.ts deviationAt) are held to that version.
// The bundles' engines (WebAssembly and JS), the matcher bundle's loadMatcher and a page without
// WebAssembly are checked in each engine too. Missing browser: skipped with a loud message
// locally, a failure when CI=true.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exportMatcher, type ExportedMatcher, type ExportedRule } from '../../src/policy/export.js';
import { announceMissing, type BrowserDriver, type DriverSession } from './driver.js';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { disagreements, ROOT, startHarness, type Harness, type ScenarioRun } from './harness.js';
import { majorOf, recordingName, recordingOf, serialiseRecording, type Recording } from './recording.js';
import { deviationAt, SCENARIOS } from './scenarios.js';
import { allDrivers } from './drivers.js';

const drivers: BrowserDriver[] = await allDrivers();

const inCI = process.env['CI'] === 'true';

for (const driver of drivers) {
  announceMissing(driver);
  describe(`${driver.engine} is there`, () => {
    it.runIf(inCI)(`CI=true: ${driver.executable} must exist (${driver.installHint})`, () => {
      expect(driver.available(), `${driver.executable} is missing in CI`).toBe(true);
    });
  });
}

for (const driver of drivers) {
  const engine = driver.engine;
  describe.runIf(driver.available())(`the precheck against ${engine} (real fetches on loopback)`, () => {
    let harness: Harness;
    let session: DriverSession;
    let runs: ScenarioRun[] = [];
    let profiles: string[] = [];
    let own = '';
    let major = 0;

    beforeAll(async () => {
      harness = await startHarness();
      session = await driver.launch();
      await session.open(harness.pageUrl);
      major = majorOf(session.version);
      own = `${engine}@${major}`;
      // The profiles the bundle knows (a profile it does not know plans 'unknown-profile').
      profiles = await session.evaluate<string[]>(
        `(names) => names.filter((p) => self.corsetBundles.index.planFetch(self.origin, { url: '/x' }, { profile: p }).error !== 'unknown-profile')`,
        ['spec', 'chromium', 'firefox', 'webkit', own],
      );
    }, 90_000);

    afterAll(async () => {
      await session?.close();
      await harness?.close();
    });

    it(`runs ${SCENARIOS.length} scenarios, predicting each fetch in the page first`, async () => {
      expect(profiles, `the bundle has a '${engine}' profile`).toContain(engine);
      expect(profiles, `the bundle has a profile for ${session.version}`).toContain(own);
      runs = await harness.run(session, engine, SCENARIOS, profiles);
      expect(runs.length).toBe(SCENARIOS.length);
    }, 120_000);

    it(`the '${engine}' profile at the installed version predicts what ${engine} did, on every scenario`, () => {
      expect(runs.length, 'the scenarios ran').toBe(SCENARIOS.length);
      const wrong: string[] = [];
      for (const r of runs) {
        r.fetches.forEach((f, k) => {
          const d = disagreements(f.predictions[own]!, f.observed, r.scenario, engine);
          if (d.length > 0) wrong.push(`${r.scenario.id} ${r.scenario.desc}${k > 0 ? ` (fetch ${k + 1})` : ''}:\n    ${d.join('\n    ')}`);
        });
      }
      expect(wrong, `planFetch/checkPreflight/checkRedirect/checkResponse (profile ${own}) vs ${session.version}:\n  ${wrong.join('\n  ')}`).toEqual([]);
    });

    it(`the 'spec' profile differs from ${engine} exactly on the rows marked as its deviations`, () => {
      expect(runs.length, 'the scenarios ran').toBe(SCENARIOS.length);
      const wrong: string[] = [];
      for (const r of runs) {
        const marked = deviationAt(r.scenario, engine, major) ?? undefined;
        const d = r.fetches.flatMap((f) => disagreements(f.predictions['spec']!, f.observed, r.scenario, engine));
        if (marked === undefined && d.length > 0) wrong.push(`${r.scenario.id} ${r.scenario.desc}: unexpected difference:\n    ${d.join('\n    ')}`);
        if (marked !== undefined && d.length === 0) wrong.push(`${r.scenario.id} ${r.scenario.desc}: marked ${marked}, but the standard's answer is ${engine}'s`);
      }
      expect(wrong, `profile spec vs ${engine}:\n  ${wrong.join('\n  ')}`).toEqual([]);
    });

    it(`the run is what test/browser/recordings/${engine}-<release>.json recorded (same browser build)`, () => {
      expect(runs.length, 'the scenarios ran').toBe(SCENARIOS.length);
      const file = path.join(ROOT, 'test', 'browser', 'recordings', recordingName(engine, session.version));
      if (!existsSync(file)) {
        // A release the suite has not recorded: the profile is held to it above; say so loudly.
        console.warn(`\n*** corset: no recording of ${session.version} (${file}); run npm run record:browsers ***\n`);
        return;
      }
      const recorded = readFileSync(file, 'utf8');
      const { version } = JSON.parse(recorded) as Recording;
      const live = serialiseRecording(recordingOf(engine, session.version, runs, harness.normalise));
      if (version !== session.version) {
        // Another build may rightly behave otherwise: say so loudly, and hold the profile to it (above).
        console.warn(`\n*** corset: ${engine} is ${session.version}, the recording ${version}: not compared; run npm run record:browsers ***\n`);
        return;
      }
      const a = recorded.split('\n');
      const b = live.split('\n');
      const changed = a.flatMap((line, i) => (line === b[i] ? [] : [`line ${i + 1}:\n  recorded ${line}\n  now      ${b[i]}`]));
      expect(changed.slice(0, 10), `${engine} did otherwise than recorded`).toEqual([]);
      expect(b.length).toBe(a.length);
    });

    it('the small bundle and the full bundle answer the same plans', async () => {
      const rows = SCENARIOS.filter((s) => s.from !== 'sandbox' && s.chain === undefined).slice(0, 60);
      const got = await session.evaluate<(string | null)[]>(
        `(inputs) => inputs.map((i) => {
          const b = self.corsetBundles;
          const a = b.precheck.planFetch(self.origin, Object.assign({ url: i.url }, i.init), { profile: i.profile });
          const f = b.index.planFetch(self.origin, Object.assign({ url: i.url }, i.init), { profile: i.profile });
          return JSON.stringify(a) === JSON.stringify(f) ? null : i.url + ': ' + JSON.stringify(a) + ' vs ' + JSON.stringify(f);
        })`,
        rows.flatMap((s) => ['spec', 'chromium'].map((profile) => ({ url: harness.fill(s).url, init: s.init ?? {}, profile }))),
      );
      expect(got.filter((x) => x !== null)).toEqual([]);
    });

    it(`the matcher bundles run the WebAssembly engine in ${engine} after ready()`, async () => {
      const names = Object.keys(harness.bundleNames).filter((n) => n !== 'precheck' && n !== 'profiles');
      const init = { origins: ['https://app.example.com', 'http://*.localhost:*'], engine: 'wasm' as const };
      const got = await session.evaluate<Record<string, unknown>>(
        `async ({ ns, init, exported }) => {
          const out = {};
          for (const n of ns) {
            const b = self.corsetBundles[n];
            await b.ready();
            const policy = typeof b.compilePolicy === 'function' ? b.compilePolicy(init) : b.loadMatcher(exported);
            out[n] = { engine: policy.engine, matches: [...policy.matchOrigins(['https://app.example.com', 'http://a.localhost:1', 'https://evil.example', 'http://localhost.evil:1'])] };
          }
          return out;
        }`,
        { ns: names, init, exported: exportMatcher(init) },
      );
      expect(names).toContain('matcher');
      for (const n of names) expect(got[n], `${n}.js in ${engine}`).toEqual({ engine: 'wasm', matches: [1, 1, 0, 0] });
    });

    it(`the matcher bundle's loadMatcher answers as the full bundle's compilePolicy, and refuses tampered exports, on ${engine}'s URL parser`, async () => {
      const inits = [
        { origins: ['https://app.example.com', 'https://*.example.org:*', 'http://pr-*.preview.example.net:8080', 'http://[::1]:*', 'https://xn--bcher-kva.example', 'null'], allowNullOrigin: true },
        { origins: '*' as const, credentialedOrigins: ['https://app.example.com', 'https://*.example.org'] },
      ];
      const origins = [
        'https://app.example.com', 'https://a.b.example.org:8443', 'https://example.org', 'http://pr-7.preview.example.net:8080',
        'http://pr-7.preview.example.net', 'http://[::1]:3000', 'http://[0:0::1]:3000', 'https://xn--bcher-kva.example', 'https://bücher.example',
        'null', 'https://APP.example.com', 'https://app.example.com.', `https://${'a'.repeat(300)}.org`, '', 'https://a_b.example.org',
      ];
      // Edited exports: an upper-case host, an IPv4 short form, a default port, a wildcard over nothing.
      const first = exportMatcher(inits[0]!);
      const tamper = (pattern: string): ExportedMatcher => ({ ...first, origins: [pattern, ...(first.origins as readonly ExportedRule[]).slice(1)] });
      const tampered = [tamper('https://APP.example.com'), tamper('https://127.1'), tamper('https://example.com:443'), tamper('https://*.')];
      const got = await session.evaluate<{ diffs: string[]; refusals: string[] }>(
        `({ inits, exports, origins, tampered }) => {
          const b = self.corsetBundles;
          const diffs = [];
          inits.forEach((init, i) => {
            for (const engine of ['js', 'wasm']) {
              const want = b.index.compilePolicy(Object.assign({}, init, { engine }));
              const have = b.matcher.loadMatcher(exports[i], { engine });
              for (const o of origins) if (want.matchOrigin(o) !== have.matchOrigin(o)) diffs.push(i + ' ' + engine + ' ' + o + ': ' + have.matchOrigin(o) + ' vs ' + want.matchOrigin(o));
              if (String([...want.matchOrigins(origins)]) !== String([...have.matchOrigins(origins)])) diffs.push(i + ' ' + engine + ' matchOrigins');
            }
          });
          const refusals = tampered.map((e) => {
            try { b.matcher.loadMatcher(e); return 'accepted'; } catch (err) { return String(err.message).split(':').slice(0, 3).join(':'); }
          });
          return { diffs, refusals };
        }`,
        { inits, exports: inits.map((i) => exportMatcher(i)), origins, tampered },
      );
      expect(got.diffs, `loadMatcher vs compilePolicy in ${engine}`).toEqual([]);
      expect(got.refusals).toEqual([
        'corset: loadMatcher(exported): origins[0] makes "https',
        'corset: loadMatcher(exported): origins[0] makes "https',
        'corset: loadMatcher(exported): origins[0] makes "https',
        'corset: loadMatcher(exported): origins[0] has a wildcard over no domain; make it with exportMatcher() or `corset compile`, do not edit it',
      ]);
    });

    it('works where WebAssembly cannot run (no WebAssembly global, CSP without wasm-unsafe-eval)', async () => {
      await session.open(harness.noWasmUrl);
      const init = { origins: ['https://app.example.com', 'http://*.localhost:*'] };
      const result = await session.evaluate<Record<string, unknown>>(
        `async ({ init, exported }) => {
          const out = { wasm: typeof globalThis.WebAssembly };
          // The small bundle knows the engine profiles once corset-cors/browser/profiles registered them.
          const small = self.corsetBundles.precheck;
          const probe = { url: 'http://127.0.0.1:1/x', headers: [['X-A', '1'], ['x-a', '2']] };
          out.before = [small.planFetch(self.origin, probe, { profile: 'firefox' }).error, small.planFetch(self.origin, probe, { profile: 'auto' }).error];
          self.corsetBundles.profiles.useEngineProfiles();
          out.detected = self.corsetBundles.profiles.detectEngine();
          out.after = ['spec', 'firefox', 'auto'].map((profile) => small.planFetch(self.origin, probe, { profile }).preflight.headers['access-control-request-headers']);
          for (const [name, b] of Object.entries(self.corsetBundles)) {
            if (typeof b.planFetch !== 'function') continue;
            const plan = b.planFetch(self.origin, { url: 'http://127.0.0.1:1/x', method: 'PUT' });
            const entry = { needsPreflight: plan.needsPreflight };
            if (typeof b.ready === 'function' && (typeof b.compilePolicy === 'function' || typeof b.loadMatcher === 'function')) {
              await b.ready();
              const policy = typeof b.compilePolicy === 'function' ? b.compilePolicy(init) : b.loadMatcher(exported);
              entry.engine = policy.engine;
              entry.allowed = policy.isOriginAllowed('http://dev.localhost:5173');
              entry.denied = policy.isOriginAllowed('https://other.example.com');
            }
            out[name] = entry;
          }
          return out;
        }`,
        { init, exported: exportMatcher(init) },
      );
      expect(result['wasm']).toBe('undefined');
      expect(result['before'], 'the small bundle before useEngineProfiles()').toEqual(['unknown-profile', 'unknown-profile']);
      expect(result['detected'], "profile 'auto' in this engine").toBe(engine);
      // Firefox names a repeated header twice in Access-Control-Request-Headers; 'auto' is the engine's.
      expect(result['after']).toEqual(['x-a', 'x-a,x-a', engine === 'firefox' ? 'x-a,x-a' : 'x-a']);
      for (const name of Object.keys(harness.bundleNames).filter((n) => n !== 'profiles')) {
        const entry = result[name] as Record<string, unknown>;
        expect(entry['needsPreflight'], `${name}: planFetch without WebAssembly`).toBe(true);
        if (name !== 'precheck') {
          expect(entry, `${name}: compilePolicy / loadMatcher without WebAssembly`).toEqual({ needsPreflight: true, engine: 'js', allowed: true, denied: false });
        }
      }
    });
  });
}
