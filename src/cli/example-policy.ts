// The built-in example policy, after the article corset grew from ("What are CORS headers?",
// bunny.net): a page on test.b-cdn.net reads a weather API on weather-api-website.bunny.net.
// The same policy is in examples/weather-api.json; test/cli.test.ts keeps the two equal.
import type { CorsPolicyInit } from '../types.js';

export const EXAMPLE_POLICY_NAME = 'weather API on weather-api-website.bunny.net';

export const EXAMPLE_POLICY: CorsPolicyInit = Object.freeze({
  origins: Object.freeze(['https://test.b-cdn.net', 'https://new-weather.b-cdn.net', 'http://localhost:*']),
  methods: Object.freeze(['GET']),
  allowHeaders: Object.freeze(['content-type']),
  exposeHeaders: Object.freeze(['x-weather-station']),
  maxAge: 600,
});
