// Every driver the suite has, in a fixed order. CORSET_BROWSERS=firefox (a comma-separated list)
// keeps only those engines.
import { chromiumDriver } from './chromium-driver.js';
import type { BrowserDriver } from './driver.js';
import { firefoxDriver } from './firefox-driver.js';
import { webkitDriver } from './webkit-driver.js';

export async function allDrivers(): Promise<BrowserDriver[]> {
  const drivers: BrowserDriver[] = [chromiumDriver, firefoxDriver, webkitDriver];
  const only = process.env['CORSET_BROWSERS']?.split(',').map((s) => s.trim());
  return only === undefined ? drivers : drivers.filter((d) => only.includes(d.engine));
}
