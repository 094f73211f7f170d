// Every driver the suite has, in a fixed order. The WebKit driver joins when its file is there (a
// computed path: no static import of a file that may be absent). CORSET_BROWSERS=firefox (a
// comma-separated list) keeps only those engines.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromiumDriver } from './chromium-driver.js';
import type { BrowserDriver } from './driver.js';
import { firefoxDriver } from './firefox-driver.js';
import { ROOT } from './harness.js';

export async function allDrivers(): Promise<BrowserDriver[]> {
  const drivers: BrowserDriver[] = [chromiumDriver, firefoxDriver];
  const webkit = path.join(ROOT, 'test', 'browser', 'webkit-driver.ts');
  if (existsSync(webkit)) {
    const mod = (await import(pathToFileURL(webkit).href)) as { webkitDriver: BrowserDriver };
    drivers.push(mod.webkitDriver);
  }
  const only = process.env['CORSET_BROWSERS']?.split(',').map((s) => s.trim());
  return only === undefined ? drivers : drivers.filter((d) => only.includes(d.engine));
}
