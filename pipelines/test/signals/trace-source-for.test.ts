import { describe, expect, it } from 'vitest';
import { createAwsClients } from '../../src/aws/clients';
import { awsSettings } from '../../src/aws/settings';
import { SPAN_TIMING, SpanTraces } from '../../src/signals/span-traces';
import { traceSourceFor } from '../../src/signals/trace-source-for';
import { XRAY_TIMING, XRayTraces } from '../../src/signals/xray-traces';
import { VirtualClock } from '../../src/time/clock';

describe('traceSourceFor', () => {
  const deps = {
    clients: createAwsClients(awsSettings('eu-west-1', {})),
    clock: new VirtualClock(),
    workload: 'checkout',
    serviceName: 'checkout',
    entrySpans: 'server' as const,
  };

  it('builds the X-Ray source or the span source, each with its own timing', () => {
    const xray = traceSourceFor('xray', deps);
    const spans = traceSourceFor('spans', deps);
    expect(xray).toBeInstanceOf(XRayTraces);
    expect(xray.timing).toEqual(XRAY_TIMING);
    expect(spans).toBeInstanceOf(SpanTraces);
    expect(spans.timing).toEqual(SPAN_TIMING);
  });
});
