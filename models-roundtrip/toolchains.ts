/**
 * The three languages' toolchains: how each is found (a reason when it is missing), how the harness is
 * built against the generated models (once per content, cached in the temp dir), and how it is run.
 */
import { execFile, spawn, spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync } from "node:fs";
import { cp, mkdir, readdir, readFile, rename, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { root } from "../scripts/generate-lib.ts";

const execFileAsync = promisify(execFile);
const here = join(root, "models-roundtrip");
const models = join(root, "generated/models");

/** A harness that reads the cases as JSON on stdin and prints what the models wrote back. */
export interface Harness {
  command: string;
  args: string[];
  env?: NodeJS.ProcessEnv;
}

export interface Toolchain {
  name: "python" | "go" | "java";
  /** Where the toolchain is, or why it cannot run here (then the test is skipped, loudly). */
  find(): { found: true; version: string } | { found: false; reason: string };
  /** Builds the harness against the generated models; cached by the content of everything it uses. */
  build(): Promise<Harness>;
}

/** The first line a command prints (on stdout or stderr, where `java -version` writes), or undefined if it fails. */
function version(command: string, args: string[]): string | undefined {
  const result = spawnSync(command, args, { encoding: "utf8", timeout: 10_000 });
  if (result.error || result.status !== 0) return undefined;
  return `${result.stdout}${result.stderr}`.trim().split("\n")[0];
}

async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries
    .filter((e) => e.isFile())
    .map((e) => join(e.parentPath, e.name))
    .sort();
}

/**
 * A folder for one build, named by the hash of its inputs: built once (in a scratch folder, then renamed
 * into place, so a half-done build is never reused) and reused while the inputs stay the same.
 */
async function cachedBuild(name: string, inputs: string[], build: (dir: string) => Promise<void>): Promise<string> {
  const hash = createHash("sha256");
  for (const file of inputs) hash.update(file).update(await readFile(file));
  const dir = join(tmpdir(), `ciq-roundtrip-${name}-${hash.digest("hex").slice(0, 16)}`);
  if (existsSync(join(dir, ".built"))) return dir;
  const scratch = `${dir}.${process.pid}`;
  await rm(scratch, { recursive: true, force: true });
  await mkdir(scratch, { recursive: true });
  await build(scratch);
  await writeFile(join(scratch, ".built"), "");
  await rm(dir, { recursive: true, force: true });
  await rename(scratch, dir);
  return dir;
}

/** Python 3 with python-dateutil (the one module the generated models import beyond the standard library). */
const python: Toolchain & { interpreter(): string | undefined } = {
  name: "python",
  interpreter() {
    // pyenv's python3 first, then Debian's, which apt's python3-dateutil serves.
    return ["python3", "/usr/bin/python3"].find((cmd) => version(cmd, ["-c", "import dateutil; print('ok')"]) === "ok");
  },
  find() {
    if (!version("python3", ["--version"]) && !version("/usr/bin/python3", ["--version"])) {
      return { found: false, reason: "no python3" };
    }
    const cmd = this.interpreter();
    if (!cmd) return { found: false, reason: "no python3 with python-dateutil (apt-get install python3-dateutil)" };
    return { found: true, version: version(cmd, ["--version"]) ?? cmd };
  },
  async build() {
    const cmd = this.interpreter() ?? "python3";
    return { command: cmd, args: [join(here, "python/roundtrip.py"), join(models, "python")] };
  },
};

const goEnv = {
  ...process.env,
  // Standard library only: nothing to download, and nothing may be.
  GOPROXY: "off",
  GOFLAGS: "",
  GOTOOLCHAIN: "local",
  GOWORK: "off",
  GOCACHE: join(tmpdir(), "ciq-roundtrip-go-cache"),
};

const go: Toolchain = {
  name: "go",
  find() {
    const v = version("go", ["version"]);
    return v ? { found: true, version: v } : { found: false, reason: "no go (apt-get install golang-go)" };
  },
  async build() {
    const inputs = [join(models, "go/models.go"), join(here, "go/main.go")];
    const dir = await cachedBuild("go", inputs, async (dir) => {
      await writeFile(join(dir, "go.mod"), "module roundtrip\n\ngo 1.19\n");
      await mkdir(join(dir, "converseiq"));
      await cp(join(models, "go/models.go"), join(dir, "converseiq/models.go"));
      await cp(join(here, "go/main.go"), join(dir, "main.go"));
      await execFileAsync("go", ["vet", "./..."], { cwd: dir, env: goEnv });
      await execFileAsync("go", ["build", "-o", "roundtrip", "."], { cwd: dir, env: goEnv });
    });
    return { command: join(dir, "roundtrip"), args: [] };
  },
};

/** Jackson as Debian's libjackson2-databind-java installs it (it brings core and annotations). */
const jacksonJars = ["jackson-databind", "jackson-core", "jackson-annotations"].map((n) => `/usr/share/java/${n}.jar`);

const java: Toolchain = {
  name: "java",
  find() {
    const v = version("javac", ["-version"]);
    if (!v || !version("java", ["-version"]))
      return { found: false, reason: "no JDK (apt-get install default-jdk-headless)" };
    const absent = jacksonJars.filter((jar) => !existsSync(jar));
    if (absent.length > 0) {
      return { found: false, reason: `no ${absent.join(", ")} (apt-get install libjackson2-databind-java)` };
    }
    return { found: true, version: v };
  },
  async build() {
    const generated = await filesUnder(join(models, "java"));
    const harness = await filesUnder(join(here, "java"));
    const dir = await cachedBuild("java", [...generated, ...harness], async (dir) => {
      const sources = [...generated, ...harness].filter((f) => f.endsWith(".java"));
      const classes = join(dir, "classes");
      await execFileAsync("javac", [
        "-nowarn",
        "-encoding",
        "UTF-8",
        "-d",
        classes,
        "-cp",
        jacksonJars.join(":"),
        ...sources,
      ]);
      await cp(join(here, "java/META-INF"), join(classes, "META-INF"), { recursive: true });
    });
    return {
      command: "java",
      // A short-lived JVM: the quick JIT tier and the small collector start fastest.
      args: [
        "-XX:TieredStopAtLevel=1",
        "-XX:+UseSerialGC",
        "-cp",
        [join(dir, "classes"), ...jacksonJars].join(":"),
        "RoundTrip",
      ],
    };
  },
};

export const toolchains: Toolchain[] = [python, go, java];

/** Runs a harness with the cases on stdin; its stdout parsed as JSON, or an error with its stderr. */
export function runHarness(harness: Harness, input: unknown, timeoutMs = 60_000): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const child = spawn(harness.command, harness.args, { env: harness.env ?? process.env, timeout: timeoutMs });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk) => {
      stdout += chunk;
    });
    child.stderr.on("data", (chunk) => {
      stderr += chunk;
    });
    child.on("error", reject);
    child.on("close", (code) => {
      if (code !== 0) return reject(new Error(`${harness.command} exited with ${code}:\n${stderr}`));
      try {
        resolve(JSON.parse(stdout));
      } catch {
        reject(new Error(`${harness.command} printed no JSON:\n${stdout}\n${stderr}`));
      }
    });
    child.stdin.end(JSON.stringify(input));
  });
}
