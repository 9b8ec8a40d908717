import type { JsonShapes } from './json-shapes';
import type { SdkModel } from './sdk-model';
import type { WireError } from './wire-message';

/**
 * The JSON body of an error: the members of the shape the service declares for it (so the SDK's typed
 * exception carries them, `Type` and `Message` for Lambda, `message` for ECS), or `message` alone for
 * an error the model does not declare (`ThrottlingException` of ECS).
 */
export function jsonErrorBody(
  model: SdkModel,
  shapes: JsonShapes,
  error: WireError,
): Record<string, unknown> {
  const shape = model.errorShape(error.code);
  if (!shape) return { message: error.message, ...error.members };
  const memberNames = shape[4];
  const messageMember = memberNames.find((name) => name.toLowerCase() === 'message') ?? 'message';
  const written = shapes.write(shape, { ...error.members, [messageMember]: error.message });
  const body = JSON.parse(new TextDecoder().decode(written)) as Record<string, unknown>;
  if (!memberNames.includes(messageMember)) body.message = error.message;
  return body;
}
