/**
 * Calling the application's hooks (onError, onWarning) so that nothing they do can break a
 * response: a throw, or a returned promise that rejects, goes to `onFault` instead.
 */

/**
 * Calls `hook(argument)`; a throw or a rejected promise it returns is handed to `onFault`.
 *
 * @example
 * callHook(options.onWarning, warning, (fault) => console.error('onWarning failed:', fault))
 */
export function callHook<Argument>(
  hook: (argument: Argument) => unknown,
  argument: Argument,
  onFault: (fault: unknown) => void,
): void {
  let result: unknown
  try {
    result = hook(argument)
  } catch (fault) {
    onFault(fault)
    return
  }
  if (result === null || (typeof result !== 'object' && typeof result !== 'function')) return
  try {
    // An async hook: its rejection would otherwise be an unhandled rejection, after the
    // response went out (Node ends the process on those by default).
    const then = (result as { then?: unknown }).then
    if (typeof then === 'function') then.call(result, undefined, onFault)
  } catch (fault) {
    onFault(fault)
  }
}

/**
 * Logs a fault of the application's code (a hook, a write Node refused) with console.error;
 * a value that cannot even be shown (a throwing inspect) is logged without it. Never throws.
 *
 * @example
 * logFault('errorshape: onError failed:', fault)
 */
export function logFault(label: string, fault: unknown): void {
  try {
    console.error(label, fault)
  } catch {
    try {
      console.error(label, '(a value that cannot be shown)')
    } catch {
      // no console to write to
    }
  }
}
