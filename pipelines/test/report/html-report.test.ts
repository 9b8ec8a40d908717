import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { htmlReport } from '../../src/report/html-report';
import { markdownReport } from '../../src/report/markdown-report';
import { writeReports } from '../../src/report/write-reports';
import { rolledBackRecord } from './release-fixture';

const context = {
  region: 'eu-west-1',
  account: '123456789012',
  alarms: ['shop-production-orders-5xx'],
  traceService: 'orders',
};

/** A record whose texts carry markup, as a hostile or careless reason might. */
function hostileRecord() {
  const record = rolledBackRecord();
  record.reason = 'broke <script>alert("x")</script> & more';
  const step = record.steps[1];
  if (step) {
    step.readings = step.readings.map((r) => ({ ...r, reason: '<script>alert(1)</script>' }));
  }
  record.events.push({ at: record.startedAt, type: 'failed', message: '<img src=x onerror=alert(1)>' });
  return record;
}

describe('the HTML report', () => {
  it('is one self-contained page: inline style, no script, nothing fetched', () => {
    const html = htmlReport(rolledBackRecord(), context);
    expect(html.startsWith('<!DOCTYPE html>\n<html lang="en">')).toBe(true);
    expect(html).toContain('<style>');
    expect(html).not.toMatch(/<script|<link|<img|<iframe|\ssrc=|@import|url\(/i);
    // The only addresses are the console links, as links.
    const addresses = [...html.matchAll(/https?:\/\/[^"\s<]+/g)].map((m) => m[0]);
    expect(addresses.filter((a) => !a.startsWith('https://eu-west-1.console.aws.amazon.com/'))).toEqual([
      'http://www.w3.org/2000/svg',
    ]);
  });

  it('escapes every text from the record, reasons with markup included', () => {
    const html = htmlReport(hostileRecord(), context);
    expect(html).not.toContain('<script>');
    expect(html).not.toContain('<img');
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).toContain('&lt;img src=x onerror=alert(1)&gt;');
  });

  it('says what the job summary says: the same headlines, checks and links', () => {
    const record = rolledBackRecord();
    const html = htmlReport(record, context);
    const markdown = markdownReport(record, context);
    const headline =
      'Rolled back: all traffic is on v1 again. Step 2 at 50%: the new version was slower — p99 latency 412 ms vs 305 ms on v1, more than the 20% allowed.';
    expect(markdown.split('\n')[2]).toBe(`**${headline}**`);
    expect(html).toContain(`<p class="headline">${headline}</p>`);
    for (const text of [
      'Step 1 at 10%: the new version held up against v1',
      '366 ms (+20%)',
      '❌ over the limit',
    ]) {
      expect(markdown).toContain(text);
      expect(html).toContain(text);
    }
    expect(html).toContain(
      '<a href="https://eu-west-1.console.aws.amazon.com/cloudwatch/home?region=eu-west-1#alarmsV2:alarm/shop-production-orders-5xx">',
    );
    expect(html.match(/<svg /g)).toHaveLength(1);
    expect(markdown.match(/```mermaid/g)).toHaveLength(1);
  });

  it('the markdown report escapes markup too', () => {
    const markdown = markdownReport(hostileRecord(), context);
    expect(markdown).not.toContain('<script>');
    expect(markdown).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
  });
});

describe('writeReports', () => {
  it('writes the markdown, JSON and HTML reports beside each other and returns their paths', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'tollgate-reports-'));
    try {
      const paths = await writeReports(rolledBackRecord(), join(dir, 'reports'), context);
      const base = join(dir, 'reports', 'orders-production-v2');
      expect(paths).toEqual([`${base}.md`, `${base}.json`, `${base}.html`]);
      expect((await readdir(join(dir, 'reports'))).sort()).toEqual([
        'orders-production-v2.html',
        'orders-production-v2.json',
        'orders-production-v2.md',
      ]);
      expect(await readFile(`${base}.html`, 'utf8')).toContain('alarmsV2:alarm/shop-production-orders-5xx');
      expect(JSON.parse(await readFile(`${base}.json`, 'utf8')).outcome).toBe('rolled-back');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
