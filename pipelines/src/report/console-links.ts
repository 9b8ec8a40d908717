import type { ReleaseRecord } from '../record/record';
import type { ReportContext } from './report-context';

export interface ConsoleLink {
  label: string;
  url: string;
}

/** Where in the AWS console to look at a release's window, or why there is nowhere to look. */
export type ConsoleLinks =
  | {
      kind: 'links';
      region: string;
      account?: string;
      window: { from: number; to: number };
      alarms: ConsoleLink[];
      traces: ConsoleLink[];
    }
  | { kind: 'none'; why: string };

const NO_CONSOLE: Record<Exclude<ReleaseRecord['backend'], 'aws'>, string> = {
  memory:
    'No AWS console: this release was simulated (memory backend), so no alarm or trace of it exists in AWS.',
  local:
    'No AWS console: this release ran on the local cloud (`infra/local`); its alarms and traces live there, not in AWS.',
};

/**
 * Console links for the release window [startedAt, finishedAt]: each gating alarm, and the X-Ray traces
 * of the new and the current version (the filter the trace gate reads, `signals/xray-filter.ts`:
 * service and `annotation.release`). Only for releases on AWS in the standard partition; the China
 * and GovCloud consoles live elsewhere and are not linked.
 */
export function consoleLinks(record: ReleaseRecord, context: ReportContext | undefined): ConsoleLinks {
  if (record.backend !== 'aws') return { kind: 'none', why: NO_CONSOLE[record.backend] };
  const region = context?.region;
  if (!context || !region) {
    return { kind: 'none', why: 'No console links: this report was written without the release target.' };
  }
  if (!/^[a-z]{2}(-[a-z]+)+-\d+$/.test(region) || /^(cn|us-gov|us-iso[a-z]*)-/.test(region)) {
    return {
      kind: 'none',
      why: `No console links: ${region} is not a Region of the standard AWS partition.`,
    };
  }
  const window = { from: record.startedAt, to: record.finishedAt ?? record.updatedAt };
  const alarms = context.alarms.map((name) => ({ label: name, url: alarmUrl(region, name) }));
  const traces = context.traceService
    ? [record.toVersion, record.fromVersion].flatMap((version) => {
        const expression = traceFilter(context.traceService as string, version);
        return expression ? [{ label: expression, url: tracesUrl(region, expression, window) }] : [];
      })
    : [];
  return {
    kind: 'links',
    region,
    ...(context.account ? { account: context.account } : {}),
    window,
    alarms,
    traces,
  };
}

function consoleHome(region: string): string {
  return `https://${region}.console.aws.amazon.com/cloudwatch/home?region=${region}`;
}

/** The alarm's page in the CloudWatch console (`#alarmsV2:alarm/<name>`, the name URI-encoded). */
export function alarmUrl(region: string, name: string): string {
  return `${consoleHome(region)}#alarmsV2:alarm/${encodeURIComponent(name)}`;
}

/**
 * The CloudWatch console's X-Ray trace query (`#xray:traces/query?<state>`), its state in the console's
 * JSURL notation: `~(query~(expression~'<filter>)~context~(timeRange~(end~'<ISO>~start~'<ISO>)))`,
 * a string value opened by `'` and closed by the next `~` or `)`.
 */
export function tracesUrl(region: string, expression: string, window: { from: number; to: number }): string {
  const end = jsurlString(new Date(window.to).toISOString());
  const start = jsurlString(new Date(window.from).toISOString());
  const state = `~(query~(expression~${jsurlString(expression)})~context~(timeRange~(end~${end}~start~${start})))`;
  return `${consoleHome(region)}#xray:traces/query?${state}`;
}

/**
 * A JSURL string: every character but letters, digits, `_`, `-` and `.` as `*hh` (or `**hhhh` above
 * U+00FF), `$` as `!`, after an opening `'`.
 */
function jsurlString(value: string): string {
  const encoded = value.replace(/[^\w.-]/g, (ch) => {
    if (ch === '$') return '!';
    const code = ch.charCodeAt(0);
    return code < 0x100
      ? `*${code.toString(16).padStart(2, '0')}`
      : `**${code.toString(16).padStart(4, '0')}`;
  });
  return `'${encoded}`;
}

/**
 * `service("<name>") AND annotation.release = "<version>"`, as `signals/xray-filter.ts` builds it for the
 * trace gate (which `report/` may not import); undefined for a value X-Ray cannot quote.
 */
function traceFilter(service: string, version: string): string | undefined {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: the point is to refuse control characters
  const unquotable = /["\\\u0000-\u001f\u007f]/;
  if ([service, version].some((value) => value === '' || unquotable.test(value))) return undefined;
  return `service("${service}") AND annotation.release = "${version}"`;
}
