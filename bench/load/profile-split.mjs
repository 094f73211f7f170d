// How bench/load-profile.mjs reads a server's `.cpuprofile`: which samples fall in the timed
// window, and which of them are the CORS layer's own code (by the script each sampled function is
// in), garbage collection, idle, or the rest of the server.
import path from 'node:path';
import { root } from './matrix.mjs';

/** corset's own code: the built files the servers import. */
const dist = `${path.join(root, 'dist')}${path.sep}`;
/** The peer middleware's own code, by the framework it serves. */
const peerPaths = {
  http: ['/node_modules/cors/', '/node_modules/vary/'],
  express: ['/node_modules/cors/', '/node_modules/vary/'],
  fastify: ['/node_modules/@fastify/cors/'],
  hono: ['/node_modules/hono/dist/middleware/cors/'],
};
/** The floor: bench/load/policy.mjs, and the servers' hand-written floor middlewares. */
const floorPaths = ['/bench/load/policy.mjs'];
const floorServers = ['/bench/load/node-server.mjs', '/bench/load/hono-app.mjs'];
const FLOOR_FUNCTIONS = new Set(['floorNode', 'floorFastify', 'floorHono']);

/** The category of one profile node's call frame, for a server of `framework`. */
export function category(framework, frame) {
  if (frame.functionName === '(garbage collector)') return 'gc';
  if (frame.functionName === '(idle)') return 'idle';
  const url = frame.url.startsWith('file://') ? decodeURIComponent(new URL(frame.url).pathname) : frame.url;
  if (url.startsWith(dist)) return 'corset';
  if (peerPaths[framework].some((p) => url.includes(p))) return 'peer';
  if (floorPaths.some((p) => url.includes(p))) return 'floor';
  if (FLOOR_FUNCTIONS.has(frame.functionName) && floorServers.some((p) => url.endsWith(p))) return 'floor';
  return 'rest';
}

/**
 * Microseconds of samples per category in a `.cpuprofile` (self time: each sample counts once,
 * for the interval that ends at it), of the samples taken between `from` and `to` (µs of the
 * monotonic clock V8 stamps its samples with, which process.hrtime reads too).
 */
export function splitProfile(framework, profile, from, to) {
  if (!Object.hasOwn(peerPaths, framework)) throw new Error(`load-profile: no profile split for framework ${framework} (Node rows only)`);
  const time = new Map();
  let t = profile.startTime;
  for (let i = 0; i < profile.samples.length; i++) {
    const dt = profile.timeDeltas[i] ?? 0;
    t += dt;
    if (t >= from && t <= to) time.set(profile.samples[i], (time.get(profile.samples[i]) ?? 0) + dt);
  }
  const out = { corset: 0, peer: 0, floor: 0, gc: 0, idle: 0, rest: 0 };
  for (const node of profile.nodes) {
    const us = time.get(node.id);
    if (us !== undefined) out[category(framework, node.callFrame)] += us;
  }
  return out;
}
