/** Small text helpers shared by the renderers. */

/** Wrap `text` to `width` columns, breaking long tokens (ARNs, addresses) where they must be. */
export function wrap(text: string, width: number): string {
  const out: string[] = [];
  for (const para of text.split('\n')) {
    let line = '';
    for (let word of para.split(/\s+/).filter(Boolean)) {
      while (word.length > width) {
        if (line) {
          out.push(line);
          line = '';
        }
        out.push(word.slice(0, breakAt(word, width)));
        word = word.slice(out[out.length - 1].length);
      }
      if (!line) line = word;
      else if (line.length + 1 + word.length <= width) line += ' ' + word;
      else {
        out.push(line);
        line = word;
      }
    }
    out.push(line);
  }
  return out.join('\n');
}

/** Where to cut a token longer than `width`: after a separator (/ - . : _ ,) when one is near the end, else at `width`. */
function breakAt(word: string, width: number): number {
  for (let i = width; i > width / 2; i--) if ('/-.:_,'.includes(word[i - 1])) return i;
  return width;
}

export function truncate(text: string, max: number): string {
  return text.length <= max ? text : text.slice(0, Math.max(0, max - 1)) + '…';
}

export function usd(n: number): string {
  const abs = Math.abs(n);
  const s = abs >= 100 ? abs.toFixed(0) : abs.toFixed(2);
  return `${n < 0 ? '-' : ''}$${s.replace(/\B(?=(\d{3})+(?!\d))/g, ',')}`;
}

export function signedUsd(n: number): string {
  return n > 0 ? `+${usd(n)}` : n < 0 ? usd(n) : '$0.00';
}

export function percent(x: number): string {
  return `${(x * 100).toFixed(x < 0.1 ? 1 : 0)}%`;
}

export function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}
