/**
 * The README's `ts` code blocks, as the package test takes them: each block's code, where it starts, and
 * whether it is run or only type-checked. A block is left unrun by an HTML comment on the line before its
 * fence (blank lines between allowed), `<!-- not run: why -->`, which says why to the reader as well.
 */

export interface ReadmeBlock {
  /** The line of its opening fence, from 1. */
  line: number;
  code: string;
  /** Why it is not run, from its `<!-- not run: ... -->`; undefined for a block that is run. */
  notRun: string | undefined;
}

const NOT_RUN = /^<!--\s*not run:\s*(.*?)\s*-->$/;

export function readmeBlocks(markdown: string): ReadmeBlock[] {
  const lines = markdown.split("\n");
  const blocks: ReadmeBlock[] = [];
  let before: string | undefined;
  for (let i = 0; i < lines.length; i++) {
    const text = lines[i] as string;
    const fence = /^(`{3,})(\S*)/.exec(text);
    if (!fence) {
      if (text.trim() !== "") before = text.trim();
      continue;
    }
    // Up to the closing fence of the same length, whatever the language.
    let end = i + 1;
    while (end < lines.length && (lines[end] as string).trimEnd() !== fence[1]) end++;
    if (fence[2] === "ts") {
      blocks.push({ line: i + 1, code: lines.slice(i + 1, end).join("\n"), notRun: NOT_RUN.exec(before ?? "")?.[1] });
    }
    before = undefined;
    i = end;
  }
  return blocks;
}
