/** A tiny YAML emitter for buildspecs (plain data: maps, lists, strings, numbers, booleans). */
type Yaml = string | number | boolean | readonly Yaml[] | { readonly [k: string]: Yaml | undefined };

function scalar(v: string | number | boolean): string {
  if (typeof v !== 'string') return String(v);
  // Quote anything YAML could read as something other than this exact string.
  return /^[A-Za-z0-9_./-][A-Za-z0-9_ ./-]*$/.test(v) && !/^(true|false|yes|no|on|off|null|~|\d[\d.]*)$/i.test(v) && !v.endsWith(' ') ? v : JSON.stringify(v);
}

export function toYaml(value: Yaml, indent = 0): string {
  const pad = ' '.repeat(indent);
  if (Array.isArray(value)) {
    return value.map((item) => (typeof item === 'object' ? `${pad}-\n${toYaml(item, indent + 2)}` : `${pad}- ${scalar(item)}\n`)).join('');
  }
  if (typeof value === 'object') {
    return Object.entries(value as Record<string, Yaml | undefined>)
      .filter(([, v]) => v !== undefined)
      .map(([k, v]) => (typeof v === 'object' ? `${pad}${k}:\n${toYaml(v as Yaml, indent + 2)}` : `${pad}${k}: ${scalar(v as string)}\n`))
      .join('');
  }
  return `${pad}${scalar(value)}\n`;
}
