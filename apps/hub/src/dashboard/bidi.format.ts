const FSI = '\u2068';
const PDI = '\u2069';
const ISOLATE_INITIATORS = new Set(['\u2066', '\u2067', '\u2068']);
/** Characters that end a bidi paragraph: inside a title they would cut it in two and undo the isolate. */
const PARAGRAPH_SEPARATORS = /[\u001C-\u001E\u0085\u2029]/g;

/**
 * Text from a host for a place where no element can set it apart, such as a
 * page title: wrapped in a first-strong isolate so that its bidi controls
 * cannot reorder what follows it. An isolate terminator of its own with
 * nothing of its own to close would end that isolate early, so it is left
 * out; isolates it leaves open are closed before the wrapper's end.
 */
export function isolateText(text: string): string {
  let open = 0;
  let inner = '';
  for (const char of text.replace(PARAGRAPH_SEPARATORS, ' ')) {
    if (ISOLATE_INITIATORS.has(char)) open += 1;
    else if (char === PDI) {
      if (open === 0) continue;
      open -= 1;
    }
    inner += char;
  }
  return `${FSI}${inner}${PDI.repeat(open)}${PDI}`;
}
