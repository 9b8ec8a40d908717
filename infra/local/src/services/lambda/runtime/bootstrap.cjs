'use strict';
/**
 * The runtime inside one local Lambda execution environment (a child process, started by
 * execution-environment.ts with the environment Lambda sets). Like Lambda's Node.js runtime, it loads
 * the handler `_HANDLER` names from LAMBDA_TASK_ROOT once (the init phase), then serves one invocation
 * at a time, here over IPC: it sets `_X_AMZN_TRACE_ID` before each call, as the X-Ray SDK in the
 * handler reads it, and passes a context object shaped like Lambda's.
 *
 * Messages: parent → `{ type: 'invoke', id, event, traceId, context }`; child → `{ type: 'ready' }`,
 * `{ type: 'init-error', error }` (then it exits), `{ type: 'result', id, payload }`, or
 * `{ type: 'error', id, error }` with `error` as Lambda reports it: `{ errorType, errorMessage, trace }`.
 */
const path = require('node:path');

function errorOf(thrown) {
  if (thrown instanceof Error) {
    return {
      errorType: thrown.name || thrown.constructor?.name || 'Error',
      errorMessage: thrown.message,
      trace: (thrown.stack || '').split('\n'),
    };
  }
  return { errorType: typeof thrown, errorMessage: String(thrown), trace: [] };
}

function loadHandler() {
  const spec = process.env._HANDLER || '';
  const dot = spec.lastIndexOf('.');
  if (dot <= 0) {
    const error = new Error(`Bad handler ${spec}: it must be <module>.<export>, like index.handler`);
    error.name = 'Runtime.MalformedHandlerName';
    throw error;
  }
  const modulePath = path.resolve(process.env.LAMBDA_TASK_ROOT || '.', spec.slice(0, dot));
  let loaded;
  try {
    loaded = require(modulePath);
  } catch (thrown) {
    if (thrown && thrown.code === 'MODULE_NOT_FOUND' && String(thrown.message).includes(modulePath)) {
      const error = new Error(`Error: Cannot find module '${spec.slice(0, dot)}'`);
      error.name = 'Runtime.ImportModuleError';
      throw error;
    }
    throw thrown;
  }
  const handler = loaded[spec.slice(dot + 1)];
  if (typeof handler !== 'function') {
    const error = new Error(`${spec} is undefined or not exported`);
    error.name = 'Runtime.HandlerNotFound';
    throw error;
  }
  return handler;
}

function contextOf(context) {
  const { deadlineMs, ...fields } = context;
  return {
    ...fields,
    logStreamName: process.env.AWS_LAMBDA_LOG_STREAM_NAME,
    callbackWaitsForEmptyEventLoop: true,
    getRemainingTimeInMillis: () => Math.max(0, deadlineMs - Date.now()),
  };
}

/** Runs the handler as Lambda's runtime does: an async result, or one passed to the callback. */
function call(handler, event, context) {
  return new Promise((resolve, reject) => {
    const callback = (error, value) => (error ? reject(error) : resolve(value));
    try {
      const returned = handler(event, context, callback);
      if (returned && typeof returned.then === 'function') returned.then(resolve, reject);
      else if (handler.length < 3) resolve(returned);
    } catch (thrown) {
      reject(thrown);
    }
  });
}

let handler;
try {
  handler = loadHandler();
} catch (thrown) {
  process.send({ type: 'init-error', error: errorOf(thrown) }, () => process.exit(1));
}

if (handler) {
  process.on('message', async (message) => {
    if (message.type !== 'invoke') return;
    process.env._X_AMZN_TRACE_ID = message.traceId;
    try {
      const payload = await call(handler, message.event, contextOf(message.context));
      process.send({ type: 'result', id: message.id, payload: payload === undefined ? null : payload });
    } catch (thrown) {
      process.send({ type: 'error', id: message.id, error: errorOf(thrown) });
    }
  });
  process.send({ type: 'ready' });
}
