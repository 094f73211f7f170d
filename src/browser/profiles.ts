// The engine profiles for the small browser bundles (dist/browser/profiles.js): load it beside
// dist/browser/precheck.js (or matcher.js) and call useEngineProfiles() once; planFetch then
// knows 'chromium', 'firefox' and 'webkit', and 'auto' picks the engine the page runs in. The
// full bundle (dist/browser/index.js) and the package root have them already.
//
//   import { planFetch } from 'corset-cors/browser/precheck';
//   import { useEngineProfiles } from 'corset-cors/browser/profiles';
//   useEngineProfiles();
//   planFetch(location.origin, { url, method: 'PUT' }, { profile: 'auto' });
export { useEngineProfiles } from '../precheck/engine-profiles.js';
export { detectEngine, detectEngineVersion } from '../precheck/detect-engine.js';
