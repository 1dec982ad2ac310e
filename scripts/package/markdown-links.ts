/**
 * The relative links of a Markdown file, and which of them lead nowhere: a file or folder that is not
 * there, or a `#fragment` that names no heading of the Markdown file it points into. Headings are named as
 * GitHub names them (its slugs), since that is where the README is read with its links working; npm's
 * page of the package shows the same README.
 */
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, relative, resolve, sep } from "node:path";

export interface MarkdownLink {
  /** The link as written: `docs/replicas.md#consistency`. */
  target: string;
  /** The file or folder part, `""` for a fragment of the same file. */
  path: string;
  /** The part after `#`, decoded, or undefined. */
  fragment: string | undefined;
}

/** The lines of a Markdown text outside fenced code blocks. */
function prose(markdown: string): string[] {
  const lines: string[] = [];
  let fence: string | undefined;
  for (const line of markdown.split("\n")) {
    const opener = /^\s*(`{3,}|~{3,})/.exec(line)?.[1];
    if (fence === undefined && opener) fence = opener;
    else if (fence !== undefined && opener && opener[0] === fence[0] && opener.length >= fence.length)
      fence = undefined;
    else if (fence === undefined) lines.push(line);
  }
  return lines;
}

/** A target with a scheme (`https:`, `mailto:`) or `//`: not a file of the package. */
const ABSOLUTE = /^([a-z][a-z0-9+.-]*:|\/\/)/i;

/** Every link and image of the text that points at a relative path or a fragment. */
export function relativeLinks(markdown: string): MarkdownLink[] {
  const links: MarkdownLink[] = [];
  for (const line of prose(markdown)) {
    const outsideCode = line.replace(/(`+)[^`]*?\1/g, (span) => " ".repeat(span.length));
    for (const match of outsideCode.matchAll(/!?\[[^\]]*\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g)) {
      const target = match[1] as string;
      if (ABSOLUTE.test(target)) continue;
      const hash = target.indexOf("#");
      const path = decodeURI(hash < 0 ? target : target.slice(0, hash));
      const fragment = hash < 0 ? undefined : decodeURIComponent(target.slice(hash + 1));
      links.push({ target, path, fragment });
    }
  }
  return links;
}

/**
 * GitHub's anchor for a heading's text: inline markup dropped (code spans keep their text, links their
 * label), lower case, every character but letters, digits, spaces, `-` and `_` removed, spaces made `-`.
 */
export function githubSlug(heading: string): string {
  return heading
    .replace(/!?\[([^\]]*)\]\([^)]*\)/g, "$1")
    .replace(/`([^`]*)`/g, "$1")
    .replace(/<[^>]+>/g, "")
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\p{M} _-]/gu, "")
    .replace(/ /g, "-");
}

/** The anchors of a Markdown text's headings; a repeated one gets `-1`, `-2`, ... as on GitHub. */
export function headingAnchors(markdown: string): Set<string> {
  const anchors = new Set<string>();
  const seen = new Map<string, number>();
  for (const line of prose(markdown)) {
    const text = /^ {0,3}#{1,6}\s+(.*?)\s*#*\s*$/.exec(line)?.[1];
    if (text === undefined) continue;
    const slug = githubSlug(text);
    const count = seen.get(slug) ?? 0;
    seen.set(slug, count + 1);
    anchors.add(count === 0 ? slug : `${slug}-${count}`);
  }
  return anchors;
}

/**
 * What is wrong with each relative link of the Markdown file `file`, one sentence per broken link, for
 * links read inside `root` (the installed package: a link that leaves it is broken too). Fragments are
 * checked in Markdown files (a heading of that name) and ignored elsewhere.
 */
export function brokenLinks(file: string, root: string): string[] {
  const text = readFileSync(file, "utf8");
  const name = relative(root, file);
  const problems: string[] = [];
  for (const link of relativeLinks(text)) {
    const target = link.path === "" ? file : resolve(dirname(file), link.path);
    const shown = relative(root, target);
    if (shown.startsWith(`..${sep}`) || shown === "..") {
      problems.push(`${name}: ${link.target} points outside the package`);
      continue;
    }
    if (!existsSync(target)) {
      problems.push(`${name}: ${link.target}: there is no ${shown}`);
      continue;
    }
    if (link.fragment === undefined || link.fragment === "" || !target.endsWith(".md")) continue;
    if (statSync(target).isDirectory()) continue;
    const anchors = link.path === "" ? headingAnchors(text) : headingAnchors(readFileSync(target, "utf8"));
    if (!anchors.has(link.fragment.toLowerCase()))
      problems.push(`${name}: ${link.target}: ${shown} has no heading whose anchor is #${link.fragment}`);
  }
  return problems;
}

/** Every Markdown file under `root`, outside `node_modules`, as a path. */
export function markdownFiles(root: string): string[] {
  return readdirSync(root, { withFileTypes: true }).flatMap((entry) => {
    const path = join(root, entry.name);
    if (entry.isDirectory()) return entry.name === "node_modules" ? [] : markdownFiles(path);
    return entry.name.endsWith(".md") ? [path] : [];
  });
}
