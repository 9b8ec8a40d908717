import type { StaticOperationSchema } from '@smithy/types';
import type { RoutedOperation, WireRequest } from './wire-message';

interface RestRoute {
  operation: string;
  method: string;
  pattern: RegExp;
  labels: string[];
  /** `?key=value` pairs the operation's http trait fixes in its URI. */
  staticQuery: [string, string][];
  /** Literal characters of the template: the more, the more specific the route. */
  specificity: number;
}

/**
 * Routes a restJson1 request by its method and path to the operation whose `http` trait
 * (`["PUT", "/2015-03-31/functions/{FunctionName}/aliases/{Name}", 200]`) matches, binding the labels.
 * A label matches one path segment; a greedy label (`{Key+}`) the rest of the path.
 */
export function restRouter(
  operations: ReadonlyMap<string, StaticOperationSchema>,
): (request: WireRequest) => RoutedOperation | undefined {
  const routes = [...operations.values()]
    .flatMap((schema) => {
      const route = restRoute(schema);
      return route ? [route] : [];
    })
    .sort((a, b) => b.specificity - a.specificity);
  return (request) => {
    for (const route of routes) {
      if (route.method !== request.method) continue;
      const match = route.pattern.exec(request.path);
      if (!match) continue;
      if (!route.staticQuery.every(([key, value]) => request.query.get(key) === value)) continue;
      const labels: Record<string, string> = {};
      route.labels.forEach((label, index) => {
        labels[label] = decodeLabel(match[index + 1] ?? '');
      });
      return { operation: route.operation, labels };
    }
    return undefined;
  };
}

function restRoute(schema: StaticOperationSchema): RestRoute | undefined {
  const traits = schema[3];
  const http =
    typeof traits === 'object' && traits !== null ? (traits as { http?: unknown[] }).http : undefined;
  const [method, uri] = http ?? [];
  if (typeof method !== 'string' || typeof uri !== 'string') return undefined;
  const [path = '', search = ''] = uri.split('?');
  const labels: string[] = [];
  let specificity = 0;
  const source = path.replace(/\{([^{}+]+)(\+)?\}|[^{]+/g, (part, label: string | undefined, greedy) => {
    if (label === undefined) {
      specificity += part.length;
      return escapeRegExp(part);
    }
    labels.push(label);
    return greedy ? '(.+)' : '([^/]+)';
  });
  const staticQuery = [...new URLSearchParams(search)];
  specificity += staticQuery.length;
  return {
    operation: schema[2],
    method,
    pattern: new RegExp(`^${source}/?$`),
    labels,
    staticQuery,
    specificity,
  };
}

function decodeLabel(raw: string): string {
  return raw.split('/').map(decodeURIComponent).join('/');
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
