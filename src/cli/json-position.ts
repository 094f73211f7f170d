// Where a JSON text first goes wrong (RFC 8259 grammar), as a character offset: JSON.parse on
// Node 20 does not always say ("Unexpected token ']', ... is not valid JSON"), and its message
// quotes the file's bytes, which the CLI never echoes to a terminal.

const WS = new Set([0x20, 0x09, 0x0a, 0x0d]);

/** The offset of the first character that breaks the JSON grammar, or `text.length` if it ends too early; -1 if valid. */
export function jsonErrorOffset(text: string): number {
  let i = 0;
  const fail = (at: number): never => {
    throw at;
  };
  const ws = () => {
    while (i < text.length && WS.has(text.charCodeAt(i))) i++;
  };
  const literal = (word: string) => {
    for (let k = 0; k < word.length; k++, i++) if (text[i] !== word[k]) fail(i);
  };
  const string = () => {
    i++; // the opening quote
    for (;;) {
      if (i >= text.length) fail(i);
      const c = text.charCodeAt(i);
      if (c === 0x22) {
        i++;
        return;
      }
      if (c < 0x20) fail(i);
      if (c === 0x5c) {
        const e = text[i + 1];
        if (e === undefined) fail(i + 1);
        if (e === 'u') {
          if (!/^[0-9a-fA-F]{4}$/.test(text.slice(i + 2, i + 6))) fail(i + 2);
          i += 6;
        } else if ('"\\/bfnrt'.includes(e as string)) i += 2;
        else fail(i + 1);
      } else i++;
    }
  };
  // RFC 8259 §6: number = [ minus ] int [ frac ] [ exp ]; a digit missing is reported where it
  // should stand (after the minus, the point or the e and its sign).
  const isDigit = (at: number) => text.charCodeAt(at) >= 0x30 && text.charCodeAt(at) <= 0x39;
  const digits = () => {
    if (!isDigit(i)) fail(i);
    while (isDigit(i)) i++;
  };
  const number = () => {
    if (text[i] === '-') i++;
    if (text[i] === '0') i++;
    else digits();
    if (text[i] === '.') {
      i++;
      digits();
    }
    if (text[i] === 'e' || text[i] === 'E') {
      i++;
      if (text[i] === '+' || text[i] === '-') i++;
      digits();
    }
  };
  const value = (): void => {
    ws();
    const c = text[i];
    if (c === undefined) fail(i);
    if (c === '{') {
      i++;
      ws();
      if (text[i] === '}') {
        i++;
        return;
      }
      for (;;) {
        ws();
        if (text[i] !== '"') fail(i);
        string();
        ws();
        if (text[i] !== ':') fail(i);
        i++;
        value();
        ws();
        if (text[i] === ',') {
          i++;
          continue;
        }
        if (text[i] === '}') {
          i++;
          return;
        }
        fail(i);
      }
    }
    if (c === '[') {
      i++;
      ws();
      if (text[i] === ']') {
        i++;
        return;
      }
      for (;;) {
        value();
        ws();
        if (text[i] === ',') {
          i++;
          continue;
        }
        if (text[i] === ']') {
          i++;
          return;
        }
        fail(i);
      }
    }
    if (c === '"') string();
    else if (c === 't') literal('true');
    else if (c === 'f') literal('false');
    else if (c === 'n') literal('null');
    else number();
  };
  try {
    value();
    ws();
    return i < text.length ? i : -1;
  } catch (at) {
    if (typeof at !== 'number') throw at;
    return Math.min(at, text.length);
  }
}

/**
 * The offset of every value in a valid JSON text, by the path a policy issue names it with
 * (`origins`, `origins[2]`, `headers.x`; the root is `''`). A repeated key keeps its last value,
 * as JSON.parse does. Only for a text JSON.parse accepted: nothing here checks the grammar.
 */
export function jsonValueOffsets(text: string): Map<string, number> {
  const offsets = new Map<string, number>();
  let i = 0;
  const ws = () => {
    while (i < text.length && WS.has(text.charCodeAt(i))) i++;
  };
  /** Past a string that starts at i; its value when `decode` (a key), else ''. */
  const string = (decode: boolean): string => {
    const start = i;
    i++;
    while (text.charCodeAt(i) !== 0x22) i += text.charCodeAt(i) === 0x5c ? 2 : 1;
    i++;
    return decode ? (JSON.parse(text.slice(start, i)) as string) : '';
  };
  const scalar = () => {
    if (text[i] === '"') string(false);
    else while (i < text.length && !WS.has(text.charCodeAt(i)) && !',]}'.includes(text[i]!)) i++;
  };
  // An explicit stack, not recursion: a policy file of a million origins is one deep array, but a
  // hostile one may nest ten thousand brackets.
  const value = (path: string): void => {
    ws();
    offsets.set(path, i);
    const c = text[i];
    if (c === '{' || c === '[') {
      const stack: { path: string; array: boolean; index: number }[] = [];
      const open = (p: string) => {
        stack.push({ path: p, array: text[i] === '[', index: 0 });
        i++;
      };
      open(path);
      while (stack.length > 0) {
        const top = stack[stack.length - 1]!;
        ws();
        const ch = text[i];
        if (ch === '}' || ch === ']') {
          i++;
          stack.pop();
          continue;
        }
        if (ch === ',') {
          i++;
          ws();
        }
        let child: string;
        if (top.array) {
          child = `${top.path}[${top.index++}]`;
        } else {
          const key = string(true);
          ws();
          i++; // the colon
          child = top.path === '' ? key : `${top.path}.${key}`;
        }
        ws();
        offsets.set(child, i);
        if (text[i] === '{' || text[i] === '[') open(child);
        else scalar();
      }
      return;
    }
    scalar();
  };
  value('');
  return offsets;
}
