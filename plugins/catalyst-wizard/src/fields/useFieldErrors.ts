import { useRef } from 'react';

/**
 * The messages a Catalyst field shows next to itself: each once, and none that is no longer true.
 *
 * The scaffolder hands a field the errors of its last Next (`rawErrors`) and keeps them until the next Next, so a
 * message would stay after the user fixed the value. This keeps the last Next's messages only while the value is
 * still the one they were computed for; once the value changes, the field's own `live` check (the same rule the
 * validator runs) speaks instead. `live` messages show only after the user edited the field or tried Next
 * (`touched`), so an untouched page is not covered in red.
 */
export function useFieldErrors(
  value: unknown,
  rawErrors: string[] | undefined,
  live: readonly (string | undefined)[],
  touched = false,
): string[] {
  const seen = useRef<{ raw: string[] | undefined; value: string }>({
    raw: undefined,
    value: '',
  });
  const current = JSON.stringify(value ?? null);
  if (rawErrors !== seen.current.raw) {
    // A new validation result: remember the value it judged.
    seen.current = { raw: rawErrors, value: current };
  }
  const submitted = (rawErrors?.length ?? 0) > 0;
  const stillJudged = submitted && seen.current.value === current;
  const shown: string[] = [];
  const add = (message: string | undefined) => {
    if (message && !shown.includes(message)) shown.push(message);
  };
  if (touched || submitted) live.forEach(add);
  if (stillJudged) {
    // A JSON-schema text ("must have required property …") says what the field's own rule already says in words.
    rawErrors!
      .filter(m => !(shown.length > 0 && isSchemaMessage(m)))
      .forEach(add);
  }
  return shown;
}

/** True when `message` was produced by the JSON-schema check rather than a Catalyst rule. */
export function isSchemaMessage(message: string): boolean {
  return /^must (have required property|be |NOT |match )/.test(message);
}
